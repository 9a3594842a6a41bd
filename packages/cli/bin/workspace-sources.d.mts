/** `@parapet/x[/sub]` -> its source file, for every workspace package of the repository at `root`. */
export function workspaceSources(root: string): Record<string, string>;
