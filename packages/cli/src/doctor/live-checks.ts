/**
 * Live checks, against running services: the app's /metrics (`--url`), Prometheus
 * (`--prometheus`: target up, Parapet's rule groups loaded and healthy, each slice's total series
 * present) and Alertmanager (`--alertmanager`: its running config routes to Parapet's webhook).
 * Each one skips, saying which flag it needs, when its URL is not given.
 */
import { BASE_WINDOW, SLO_SERIES, WATCHDOG_ALERTNAME, WEBHOOK_RECEIVER, generatePrometheusRules, resolveConfig, type PrometheusRuleSet, type ResolvedConfig } from '@parapet/core/slo';
import { parse as parseYaml } from 'yaml';
import { plural } from '../plural.js';
import { error, isOutcome, ok, skip, warn, type Check, type DoctorContext, type Outcome } from './types.js';

/** The metrics token: `--metrics-token`, else the first of PARAPET_METRICS_TOKENS. */
function metricsToken(context: DoctorContext): string | undefined {
  return context.options.metricsToken ?? context.env.PARAPET_METRICS_TOKENS?.split(',')[0]?.trim() ?? undefined;
}

const join = (base: string, path: string) => `${base.replace(/\/+$/, '')}${path}`;

/** GET as JSON; a refused connection or a non-2xx answer becomes an error outcome. */
async function getJson<T>(context: DoctorContext, url: string, what: string): Promise<T | Outcome> {
  let response: Response;
  try {
    response = await context.fetch(url);
  } catch (cause) {
    return error(`Cannot reach ${what} at ${url}: ${describe(cause)}.`, `Check that ${what} runs and that the URL (scheme, host, port) is right.`);
  }
  if (!response.ok) return error(`${what} answered ${response.status} at ${url}.`, `Check the URL points at ${what}'s HTTP API (the base URL, without /api/...).`);
  try {
    return (await response.json()) as T;
  } catch {
    return error(`${url} did not answer JSON: it is not ${what}'s HTTP API.`, `Pass ${what}'s own base URL (e.g. http://127.0.0.1:${what === 'Prometheus' ? 9090 : 9093}), not a proxy or UI in front of it.`);
  }
}


function describe(cause: unknown): string {
  const inner = (cause as { cause?: { code?: string; message?: string } })?.cause;
  return inner?.code ?? inner?.message ?? (cause instanceof Error ? cause.message : String(cause));
}

/** `--prometheus` and the rules the config generates, or why a Prometheus check cannot run. */
async function prometheusInputs(context: DoctorContext, what: string): Promise<{ prometheus: string; rules: PrometheusRuleSet } | Outcome> {
  const prometheus = context.options.prometheus;
  if (!prometheus) return skip(`Pass --prometheus <url> to check ${what}.`);
  let config: ResolvedConfig;
  try {
    config = resolveConfig(await context.config());
  } catch {
    return skip(`The config does not load or validate (see config-load, slices-valid), so ${what} cannot be known.`);
  }
  return { prometheus, rules: generatePrometheusRules(config.slices, config.windows) };
}

const liveMetrics: Check = {
  id: 'live-metrics',
  title: "The app's /metrics answers with the token",
  group: 'live',
  async run(context) {
    const base = context.options.url;
    if (!base) return skip('Pass --url <app base URL> (and the token in PARAPET_METRICS_TOKENS or --metrics-token) to scrape the running app.');
    const url = join(base, '/metrics');
    const token = metricsToken(context);
    let response: Response;
    try {
      response = await context.fetch(url, token ? { headers: { authorization: `Bearer ${token}` } } : {});
    } catch (cause) {
      return error(`Cannot reach the app at ${url}: ${describe(cause)}.`, 'Start the app, and check the --url (scheme, host, port).');
    }
    const body = await response.text();
    if (response.status === 401 || response.status === 403) {
      return error(
        `${url} refused the scrape (${response.status})${token ? ': the token is not one the app accepts' : ': no token was sent'}.`,
        token ? 'Use a token listed in the app\'s PARAPET_METRICS_TOKENS (comma-separated); Prometheus needs the same one.' : 'Pass --metrics-token <token> or set PARAPET_METRICS_TOKENS for the doctor, as for Prometheus.',
      );
    }
    if (!response.ok) return error(`${url} answered ${response.status}.`, 'Mount the metrics endpoint at /metrics (metricsHandler()) and check the app\'s log.');
    if (!/^parapet_/m.test(body)) {
      return error(`${url} answers but exposes no parapet_* series: Parapet is not attached, or this endpoint serves another registry.`, 'Call attach() before the app handles requests, and serve the same registry (metricsHandler({ registry }) with attach({ registry })).');
    }
    // With a token configured, an anonymous scrape must be refused.
    if (token) {
      const anonymous = await context.fetch(url).catch(() => undefined);
      if (anonymous?.ok) {
        return warn(`${url} also answers without a token: the app runs with NODE_ENV=development/test or the endpoint is public.`, 'In production run with NODE_ENV=production and without public: true; then only token holders can scrape.');
      }
    }
    const series = body.split('\n').filter((l) => l.startsWith('parapet_')).length;
    return ok(`${url} answers with the token: ${plural(series, 'parapet_* sample')}.`);
  },
};

interface TargetsResponse {
  data: { activeTargets: { scrapeUrl: string; health: 'up' | 'down' | 'unknown'; lastError: string; labels: Record<string, string> }[] };
}

const prometheusTarget: Check = {
  id: 'prometheus-target',
  title: 'Prometheus scrapes the app',
  group: 'live',
  async run(context) {
    const prometheus = context.options.prometheus;
    if (!prometheus) return skip('Pass --prometheus <url> to check that Prometheus scrapes the app.');
    const answer = await getJson<TargetsResponse>(context, join(prometheus, '/api/v1/targets?state=active'), 'Prometheus');
    if (isOutcome(answer)) return answer;
    const targets = answer.data.activeTargets;
    const app = context.options.url ? new URL(context.options.url) : undefined;
    const ours = app ? targets.filter((t) => new URL(t.scrapeUrl).host === app.host) : targets;
    if (ours.length === 0) {
      return error(
        app ? `Prometheus has no scrape target for ${app.host} (it scrapes ${targets.map((t) => new URL(t.scrapeUrl).host).join(', ') || 'nothing'}).` : 'Prometheus has no active scrape targets.',
        "Add a scrape job for the app to prometheus.yml (static_configs: [{ targets: ['my-app:3000'] }], authorization: { credentials_file: … }) and reload Prometheus.",
      );
    }
    const down = ours.filter((t) => t.health !== 'up');
    if (down.length > 0) {
      return error(
        `${plural(down.length, 'target')} down: ${down.map((t) => `${t.scrapeUrl} (${t.health}${t.lastError ? `: ${t.lastError}` : ''})`).join('; ')}.`,
        'A 401/403 means the scrape token differs from PARAPET_METRICS_TOKENS; "connection refused" means a wrong host or port; check metrics_path is /metrics.',
      );
    }
    return ok(`Prometheus scrapes ${ours.map((t) => t.scrapeUrl).join(', ')}: up.`);
  },
};

interface RulesResponse {
  data: { groups: { name: string; file: string; rules: { name: string; health: 'ok' | 'err' | 'unknown'; lastError?: string }[] }[] };
}

const prometheusRules: Check = {
  id: 'prometheus-rules',
  title: "Prometheus runs Parapet's rules, healthy",
  group: 'live',
  async run(context) {
    const inputs = await prometheusInputs(context, 'the rule groups Prometheus has loaded');
    if (isOutcome(inputs)) return inputs;
    const { prometheus, rules: set } = inputs;
    const expected = [...set.recording, ...set.alerting].map((g) => g.name);
    const answer = await getJson<RulesResponse>(context, join(prometheus, '/api/v1/rules'), 'Prometheus');
    if (isOutcome(answer)) return answer;
    const loaded = new Map(answer.data.groups.map((g) => [g.name, g]));
    const missing = expected.filter((name) => !loaded.has(name));
    if (missing.length > 0) {
      return error(
        `Prometheus has not loaded ${plural(missing.length, 'Parapet rule group')} of ${expected.length}: those SLOs are not recorded or alerted on.`,
        'Add the generated rules.yml to rule_files in prometheus.yml (npx parapet gen prometheus writes it), then reload Prometheus (SIGHUP or POST /-/reload).',
        missing,
      );
    }
    const failing = expected.flatMap((name) => loaded.get(name)!.rules.filter((r) => r.health === 'err').map((r) => `${name}/${r.name}: ${r.lastError ?? 'error'}`));
    if (failing.length > 0) {
      return error(`${plural(failing.length, 'rule')} fail to evaluate.`, 'Regenerate the rules with this version of Parapet (npx parapet gen prometheus) and check Prometheus\' log for the query error.', failing);
    }
    const pending = expected.flatMap((name) => loaded.get(name)!.rules.filter((r) => r.health === 'unknown')).length;
    return ok(`All ${plural(expected.length, 'Parapet rule group')} loaded; ${pending === 0 ? 'every rule evaluates' : `${plural(pending, 'rule')} not evaluated yet (groups run every minute)`}.`);
  },
};

interface QueryResponse {
  status: string;
  error?: string;
  data: { result: unknown[] };
}

const prometheusSeries: Check = {
  id: 'prometheus-series',
  title: "Each slice's total series exists in Prometheus",
  group: 'live',
  async run(context) {
    const inputs = await prometheusInputs(context, "each slice's series");
    if (isOutcome(inputs)) return inputs;
    const { prometheus, rules: set } = inputs;
    const absent: string[] = [];
    for (const group of set.recording) {
      // The recording rule of the slice's 5m total: its expression reads the raw total series.
      const total = group.rules.find((r) => r.record === SLO_SERIES.totalIncrease(BASE_WINDOW));
      if (!total) continue;
      const slice = total.labels?.slo ?? group.name;
      const answer = await getJson<QueryResponse>(context, join(prometheus, `/api/v1/query?query=${encodeURIComponent(total.expr)}`), 'Prometheus');
      if (isOutcome(answer)) return answer;
      if (answer.data.result.length === 0) absent.push(`${slice}: no series for ${total.expr}`);
    }
    if (absent.length > 0) {
      return warn(
        `${plural(absent.length, 'slice')} of ${set.recording.length} have no total series: their NoData alert fires and their SLO cannot be judged.`,
        'Send traffic through the journey (or exclude the slice: webSaas({ exclude: [...] })); check that the app publishes the signal (docs/telemetry.md) and that Prometheus scrapes it (prometheus-target).',
        absent,
      );
    }
    return ok(`Every slice (${set.recording.length}) has its total series in Prometheus.`);
  },
};

interface AlertmanagerStatus {
  config: { original: string };
}
interface Route {
  receiver?: string;
  matchers?: string[];
  match?: Record<string, string>;
  routes?: Route[];
}
interface AlertmanagerConfig {
  route?: Route;
  receivers?: { name: string; webhook_configs?: { url?: string; url_file?: string }[] }[];
}

const alertmanagerRoute: Check = {
  id: 'alertmanager-route',
  title: "Alertmanager routes to Parapet's webhook",
  group: 'live',
  async run(context) {
    const alertmanager = context.options.alertmanager;
    if (!alertmanager) return skip("Pass --alertmanager <url> to check Alertmanager's routing.");
    const status = await getJson<AlertmanagerStatus>(context, join(alertmanager, '/api/v2/status'), 'Alertmanager');
    if (isOutcome(status)) return status;
    const running = parseYaml(status.config.original) as AlertmanagerConfig;
    const configured = await context.config().then((c) => c.alertmanager?.webhookUrl).catch(() => undefined);
    const isParapet = (url: string | undefined) => !!url && (configured ? url === configured : /\/alertmanager\/?$/.test(url.replace(/[?#].*$/, '')));
    const receivers = (running.receivers ?? []).filter((r) => (r.webhook_configs ?? []).some((w) => isParapet(w.url)));
    if (receivers.length === 0) {
      return error(
        `Alertmanager's running config has no webhook receiver for ${configured ?? "Parapet's webhook (…/parapet/alertmanager)"}: alerts never become incidents.`,
        'Run Alertmanager with the generated config (npx parapet gen alertmanager, with alertmanager.webhookUrl set in the config), or add its parapet-webhook receiver and route to yours.',
      );
    }
    const names = new Set(receivers.map((r) => r.name));
    const routes: Route[] = [];
    const visit = (r: Route | undefined) => {
      if (!r) return;
      routes.push(r);
      for (const child of r.routes ?? []) visit(child);
    };
    visit(running.route);
    const routed = routes.filter((r) => r.receiver && names.has(r.receiver));
    if (routed.length === 0) {
      return error(`The receiver ${[...names].join(', ')} exists but no route sends alerts to it.`, `Add a route with receiver: ${WEBHOOK_RECEIVER} and continue: true at the top of route.routes (the generated config has it).`);
    }
    const watchdog = routed.some((r) => [...(r.matchers ?? []), ...Object.entries(r.match ?? {}).map(([k, v]) => `${k}="${v}"`)].some((m) => m.includes(WATCHDOG_ALERTNAME)));
    if (!watchdog) {
      return warn(`Alertmanager routes to ${[...names].join(', ')} but has no ${WATCHDOG_ALERTNAME} route: the heartbeat that proves the alert path may be grouped or delayed.`, 'Use the generated alertmanager.yml (its watchdog route repeats every 5 minutes), or add watchdogRoute() from @parapet/evidence-pg.');
    }
    return ok(`Alertmanager routes SLO alerts and the ${WATCHDOG_ALERTNAME} heartbeat to ${[...names].join(', ')}.`);
  },
};

export const liveChecks: readonly Check[] = [liveMetrics, prometheusTarget, prometheusRules, prometheusSeries, alertmanagerRoute];
