// Probes (issue 5): probe interface, native scheduler. Re-exported from the package root.
export {};
