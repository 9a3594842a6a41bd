/** Reported to clients in `initialize` (serverInfo.version). */
export const VERSION = '0.0.0';
