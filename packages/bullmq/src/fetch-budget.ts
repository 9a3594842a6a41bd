/**
 * A token bucket that caps how many jobs per second instrumentation may read back from Redis
 * (one HGETALL each), so a burst of stalled or observed events cannot turn into a burst of
 * Redis load. Past the budget, events are still counted, without name or timings.
 */
export class FetchBudget {
  private tokens: number;
  private last = Date.now();

  constructor(private readonly perSecond: number) {
    this.tokens = perSecond;
  }

  take(): boolean {
    if (this.perSecond <= 0) return false;
    const now = Date.now();
    this.tokens = Math.min(this.perSecond, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
