// SLO model, providers and generators (issue 3). Barrel re-exported from the package root.
export {};
