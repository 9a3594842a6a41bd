/** The logging surface Parapet uses. Pass your app's logger (pino, winston, console) to attach(). */
export interface Logger {
  warn(message: string, details?: Record<string, unknown>): void;
  error(message: string, details?: Record<string, unknown>): void;
}

export const consoleLogger: Logger = {
  warn: (message, details) => console.warn(`[parapet] ${message}`, ...(details ? [details] : [])),
  error: (message, details) => console.error(`[parapet] ${message}`, ...(details ? [details] : [])),
};

/**
 * Logs each distinct message key at most once per interval, so an error inside a hot path
 * (every request) cannot flood the host's logs. Counting is the metric's job, not the log's.
 */
export class RateLimitedLogger {
  private readonly last = new Map<string, number>();
  constructor(readonly logger: Logger, private readonly intervalMs = 60_000) {}

  error(key: string, message: string, details?: Record<string, unknown>): void {
    if (this.allow(key)) this.logger.error(message, details);
  }

  warn(key: string, message: string, details?: Record<string, unknown>): void {
    if (this.allow(key)) this.logger.warn(message, details);
  }

  private allow(key: string): boolean {
    const now = Date.now();
    const previous = this.last.get(key);
    if (previous !== undefined && now - previous < this.intervalMs) return false;
    if (this.last.size > 1000) this.last.clear();
    this.last.set(key, now);
    return true;
  }
}
