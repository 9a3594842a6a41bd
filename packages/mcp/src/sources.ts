import { SLO_LABEL, SLO_SERIES } from '@parapet/core/slo';
import { ParapetError } from '@parapet/core/integration';

/** Error-budget status of one SLO, as the `slo_status` tool reports it. */
export interface SloStatus {
  /** The SLO (slice) name: the `slo` label on Parapet's generated series. */
  slo: string;
  /** Burn rate per window (`{ "5m": 0.4, "1h": 2.1 }`): 1 = spending the budget exactly over the period. */
  burnRates: Record<string, number>;
  /** Share of the period's error budget left (1 = untouched, 0 = spent, negative = overspent); null when unknown. */
  budgetRemaining: number | null;
  /** The objective as a ratio (0.999), when known. */
  objective: number | null;
}

/**
 * Where `slo_status` reads SLO state from. Parapet ships `prometheusSloSource()` (the Prometheus
 * HTTP API over the generated `parapet_slo:*` series); an in-process monitor implements this
 * interface to answer without Prometheus. Implementations must be read-only and bounded: return at
 * most `limit` SLOs.
 */
export interface SloStatusSource {
  /** Shown to the assistant as `source` (e.g. `prometheus`, `monitor`). */
  readonly name: string;
  /** Current status of one SLO (`slo` given) or of every SLO, at most `limit` of them, sorted by name. */
  status(args: { slo?: string; limit: number; signal?: AbortSignal }): Promise<SloStatus[]>;
}

/** One runbook as a runbook source returns it. */
export interface Runbook {
  /** Stable name (e.g. the alert or SLO it belongs to). */
  name: string;
  title: string;
  /** Where a human reads it, when it has a URL. */
  url?: string | null;
  /** The runbook text (Markdown). The server caps its length. */
  content: string;
}

/**
 * Where `read_runbook` reads runbooks from (@parapet/response provides one). Read-only: `read`
 * never changes anything. Lookup is by runbook name, SLO or alert name; return undefined when none
 * matches.
 */
export interface RunbookSource {
  read(args: { name?: string; slo?: string; alertname?: string }): Promise<Runbook | undefined>;
}

export interface PrometheusSloSourceOptions {
  /** Base URL of the Prometheus HTTP API, e.g. `http://127.0.0.1:9090`. */
  url: string;
  /** Extra request headers (e.g. `authorization` for a protected Prometheus). */
  headers?: Record<string, string>;
  /** Request timeout in ms (default 5000). */
  timeoutMs?: number;
  /** fetch implementation (tests). */
  fetch?: typeof fetch;
}

interface VectorSample {
  metric: Record<string, string>;
  value: [number, string];
}

const BURN_PREFIX = SLO_SERIES.burnRate('');
const escapeLabel = (s: string) => s.replace(/\\/g, '\\\\').replace(/"/g, '\\"');

/**
 * An SLO status source over the Prometheus HTTP API (`/api/v1/query`), reading the series the
 * rule generator records: `parapet_slo:burn_rate:<window>`, `parapet_slo:error_budget_remaining:ratio`
 * and `parapet_slo:objective:ratio`, by their `slo` label.
 */
export function prometheusSloSource(options: PrometheusSloSourceOptions): SloStatusSource {
  let base: URL;
  try {
    base = new URL(options.url);
    if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new TypeError(`protocol ${base.protocol}`);
  } catch (cause) {
    throw new ParapetError('INVALID_OPTIONS', `prometheusSloSource(): url must be an absolute URL such as http://127.0.0.1:9090; got ${JSON.stringify(options.url)}.`, { cause });
  }
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 5000;

  async function query(promql: string, signal?: AbortSignal): Promise<VectorSample[]> {
    const url = new URL('api/v1/query', base.href.endsWith('/') ? base : new URL(`${base.href}/`));
    url.searchParams.set('query', promql);
    const timeout = AbortSignal.timeout(timeoutMs);
    let response: Response;
    try {
      response = await doFetch(url, { headers: { accept: 'application/json', ...options.headers }, signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
    } catch (cause) {
      throw new ParapetError('UNAVAILABLE', `Prometheus at ${base.origin} did not answer (${(cause as Error).message}); SLO status is unavailable.`, { cause });
    }
    if (!response.ok) throw new ParapetError('UNAVAILABLE', `Prometheus at ${base.origin} answered ${response.status} to an instant query; SLO status is unavailable.`);
    const body = (await response.json()) as { status?: string; data?: { resultType?: string; result?: VectorSample[] } };
    if (body.status !== 'success' || body.data?.resultType !== 'vector') throw new ParapetError('UNAVAILABLE', `Prometheus at ${base.origin} returned no vector for an instant query.`);
    return body.data.result ?? [];
  }

  return {
    name: 'prometheus',
    async status({ slo, limit, signal }) {
      const matcher = slo === undefined ? `${SLO_LABEL}!=""` : `${SLO_LABEL}="${escapeLabel(slo)}"`;
      const [burn, remaining, objective] = await Promise.all([
        query(`{__name__=~"${BURN_PREFIX}.+",${matcher}}`, signal),
        query(`${SLO_SERIES.budgetRemaining}{${matcher}}`, signal),
        query(`${SLO_SERIES.objective}{${matcher}}`, signal),
      ]);
      const bySlo = new Map<string, SloStatus>();
      const entry = (name: string) => {
        let s = bySlo.get(name);
        if (!s) bySlo.set(name, (s = { slo: name, burnRates: {}, budgetRemaining: null, objective: null }));
        return s;
      };
      const num = (v: string) => (Number.isFinite(Number(v)) ? Number(v) : null);
      for (const sample of burn) {
        const name = sample.metric[SLO_LABEL];
        const window = sample.metric.__name__?.slice(BURN_PREFIX.length);
        const value = num(sample.value[1]);
        if (name && window && value !== null) entry(name).burnRates[window] = value;
      }
      for (const sample of remaining) {
        const name = sample.metric[SLO_LABEL];
        if (name) entry(name).budgetRemaining = num(sample.value[1]);
      }
      for (const sample of objective) {
        const name = sample.metric[SLO_LABEL];
        if (name) entry(name).objective = num(sample.value[1]);
      }
      return [...bySlo.values()].sort((a, b) => a.slo.localeCompare(b.slo)).slice(0, limit);
    },
  };
}
