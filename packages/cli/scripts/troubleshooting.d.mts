/** docs/troubleshooting.md (the one source) and the copy shipped in the tarball. */
export const SOURCE: string;
export const COPY: string;
/** The text of TROUBLESHOOTING.md for the text of docs/troubleshooting.md. */
export function shippedTroubleshooting(source: string): string;
