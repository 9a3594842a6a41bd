import type { Server } from 'node:http';
import express from 'express';
import client from 'prom-client';
import { attach, publishDeliveryOutbound, publishDeployMarker, publishJourneyStep, type ParapetHandle } from '@parapet/core';
import { toNodeHandler } from '@parapet/core/integration';
import { mcpEvidenceExtension } from '@parapet/mcp';
import { responseExtension } from '@parapet/response';
import { instrument, metricsHandler } from '@parapet/express';
import { createAlertmanagerWebhook, createOperatorApiHandler, createSloAlertIngest } from '@parapet/evidence-pg';
import { startSloMonitor, type ParapetConfig, type SloMonitor } from '@parapet/core/slo';
import demoConfig from '../parapet.config.js';
import { createParapetMcpHandler } from '@parapet/mcp';
import { createWorkbenchHandler } from '@parapet/ui-react/handler';
import { loginPage, operatorAuth, safeNext } from './auth.js';
import { openEvidence, type Evidence } from './evidence.js';
import { startJobs, type Jobs } from './jobs.js';
import { homePage } from './home.js';
import { seedIncidents } from './seed.js';
import { startTraffic, type Traffic } from './traffic.js';
import { runbookSource, startResponse } from './response.js';
import { workbenchBundle } from './workbench.js';

/**
 * The reference app: a small SaaS (login, checkout, a background job that sends a receipt email)
 * instrumented only through Parapet's public API, with Parapet's evidence spine mounted under
 * `/parapet`. Copy it as a starting point; every setting is in `DemoSettings` (see README.md).
 */
export interface DemoSettings {
  /** Bearer tokens `/metrics` accepts (Prometheus's `authorization.credentials`). */
  metricsTokens: string[];
  /** Bearer tokens the Alertmanager webhook accepts. */
  webhookTokens: string[];
  /** Bearer tokens `POST /parapet/api/deploys` accepts (CI pipelines). */
  deployTokens: string[];
  /** Operators of the API: `Authorization: Bearer <token>` acts as `actor`. */
  operators: { actor: string; token: string }[];
  /** PostgreSQL (`DATABASE_URL`); embedded PGlite when absent. */
  databaseUrl?: string;
  /** A direct connection for migrations behind PgBouncer (`DATABASE_URL_DIRECT`). */
  databaseUrlDirect?: string;
  /** PGlite's data directory (`PARAPET_DATA_DIR`); in memory when absent. */
  dataDir?: string;
  /** Redis for BullMQ (`REDIS_URL`); an in-process queue when absent or unreachable. */
  redisUrl?: string;
  /** Where people reach the demo (`PARAPET_PUBLIC_URL`), for links in notifications. Default `http://127.0.0.1:<port>`. */
  publicUrl?: string;
  /** The port `PORT` names, for the default public URL. Default 3000. */
  port?: number;
  /** Where notifications go (`PARAPET_NOTIFY_WEBHOOK_URL`): a Slack incoming webhook (or compatible); none when absent. */
  notifyWebhookUrl?: string;
  /** With it (`PARAPET_NOTIFY_WEBHOOK_SECRET`, `whsec_…`) the URL gets signed Standard Webhooks instead of Slack's format. */
  notifyWebhookSecret?: string;
  /** A built workbench bundle (`PARAPET_WORKBENCH_DIR`); default: @parapet/ui-react's, built on first start in this repository. */
  workbenchDir?: string;
  /** Seed a few incidents into an empty database so the API is not empty. Default true. */
  seed?: boolean;
  /** Built-in traffic: logins per second (checkout at half that); 0 turns it off. Default 2. */
  trafficRate?: number;
  /** Start with failures injected into the login journey. */
  fail?: boolean;
  /** Share of logins that fail while failures are on (deterministic: every 1/ratio-th). Default 1. */
  failRatio?: number;
  /**
   * Run the in-process burn-rate monitor (`startSloMonitor`): the config's own page, ticket and
   * no-data alerts evaluated inside the demo and delivered into the evidence store, so injected
   * failures become incidents with no Prometheus at all. Default true; `--no-monitor` turns it off
   * (the end-to-end test does, to prove the Prometheus path on its own).
   */
  monitor?: boolean;
  /** The SLO config the monitor evaluates. Default: apps/demo/parapet.config.ts. */
  sloConfig?: ParapetConfig;
  /** The monitor's clock in epoch milliseconds (tests). Default Date.now. */
  now?: () => number;
  /** Start-up notes (BullMQ unavailable, ...). Default: console.log. */
  log?: (line: string) => void;
}

export interface DemoApp {
  app: express.Express;
  parapet: ParapetHandle;
  /** The in-process burn-rate monitor, unless `monitor: false`. */
  monitor: SloMonitor | undefined;
  evidence: Evidence;
  jobs: Jobs;
  /** The failure switch of the login journey. */
  failures: { on: boolean; ratio: number };
  listen(port: number, host?: string): Promise<Server>;
  close(): Promise<void>;
}

/** The demo's only user (the login page says so). */
export const DEMO_USER = { email: 'demo@example.com', password: 'parapet' };
/** The journey the failure switch breaks: its slice (`web_saas_login_journey`) pages. */
export const FAILING_JOURNEY = 'login';

export async function createDemoApp(settings: DemoSettings): Promise<DemoApp> {
  const log = settings.log ?? ((line: string) => console.log(line));
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });

  // The workbench's bundle first: a missing one fails the start before anything runs.
  const workbench = createWorkbenchHandler({ basePath: '/parapet', assetsDir: await workbenchBundle(settings.workbenchDir) });
  // Evidence next: its migrations (and the MCP audit's and response's) run on start, so an empty database just works.
  const evidence = await openEvidence(settings, [mcpEvidenceExtension(), responseExtension]);
  // Background jobs: BullMQ when REDIS_URL is reachable (its integration publishes job runs).
  const jobs = await startJobs({ redisUrl: settings.redisUrl, log, sendEmail });
  const parapet = attach({ registry, integrations: jobs.integrations });

  const failures = { on: settings.fail ?? false, ratio: settings.failRatio ?? 1 };
  let logins = 0;
  /** Deterministic share: with ratio 0.1, exactly every tenth login fails while failures are on. */
  function loginFails(): boolean {
    logins += 1;
    return failures.on && Math.floor(logins * failures.ratio) > Math.floor((logins - 1) * failures.ratio);
  }

  /** The email the background job sends (a stand-in provider that always accepts). */
  async function sendEmail(to: string): Promise<void> {
    const started = performance.now();
    await Promise.resolve(to);
    publishDeliveryOutbound({ integration: 'demo', provider: 'demo-smtp', channel: 'email', outcome: 'provider_accepted', durationSeconds: (performance.now() - started) / 1000 });
  }

  // Operators: PARAPET_OPERATOR_TOKENS as Bearer, or the sign-in cookie in a browser (src/auth.ts).
  const auth = operatorAuth(settings.operators);
  const webhook = createAlertmanagerWebhook({ store: evidence.store, tokens: settings.webhookTokens });
  // Response: the login runbook (preview → confirm "turn off the failure switch") and, with
  // PARAPET_NOTIFY_WEBHOOK_URL, notifications and escalation through the outbox (src/response.ts).
  const publicUrl = (settings.publicUrl ?? `http://127.0.0.1:${settings.port ?? 3000}`).replace(/\/+$/, '');
  const response = await startResponse({ store: evidence.store, publicBaseUrl: `${publicUrl}/parapet`, failures, notifyWebhookUrl: settings.notifyWebhookUrl, notifyWebhookSecret: settings.notifyWebhookSecret });
  const responseWorker = response.start({ intervalMs: 1000 });
  if (!settings.notifyWebhookUrl) log('notifications off (set PARAPET_NOTIFY_WEBHOOK_URL to a Slack incoming webhook to get them)');
  const api = createOperatorApiHandler({ store: evidence.store, basePath: '/parapet', authorize: auth.authorize, deployTokens: settings.deployTokens, routes: response.routes });
  // The read-only MCP endpoint for assistants (operator tokens as Bearer).
  // Hosts and browser origins are pinned to this machine and the public URL: DNS-rebinding protection.
  const hosts = [...new Set(['127.0.0.1', 'localhost', new URL(publicUrl).hostname])];
  const mcp = createParapetMcpHandler({ store: evidence.store, verify: auth.bearer, runbooks: runbookSource, allowedHosts: hosts, allowedOrigins: hosts });

  // instrument() records every request without adding a middleware layer (see @parapet/express).
  const app = instrument(express());

  // ── Parapet, under /parapet (mounted before express.json(): the handlers read raw bodies) ──
  app.post('/parapet/alertmanager', toNodeHandler(webhook));
  app.all('/parapet/api/*splat', toNodeHandler(api));
  app.all('/parapet/mcp', toNodeHandler(mcp));
  // The workbench, after the handlers above (it never answers /parapet/api, /alertmanager, /mcp
  // anyway): operators only; a browser without a valid cookie is sent to the sign-in form.
  const serveWorkbench = toNodeHandler(workbench);
  app.get(['/parapet', '/parapet/*splat'], (req, res) => {
    const request = new Request('http://demo.local/', { headers: { authorization: req.headers.authorization ?? '', cookie: req.headers.cookie ?? '' } });
    if (auth.authorize(request)) return void serveWorkbench(req, res);
    if (req.accepts(['html', 'json']) === 'html') return void res.redirect(303, `/demo/login?next=${encodeURIComponent(req.originalUrl)}`);
    res.status(401).json({ error: { code: 'UNAUTHORIZED', message: 'sign in at /demo/login, or send an operator token as Authorization: Bearer <token> (PARAPET_OPERATOR_TOKENS)' } });
  });
  // The in-process monitor: the same SLO config, evaluated here every minute and delivered into
  // the evidence store with Alertmanager's fingerprints, so dedupe and auto-resolve behave alike.
  const monitor = settings.monitor === false
    ? undefined
    : startSloMonitor({
        config: settings.sloConfig ?? demoConfig,
        parapet,
        evidence: createSloAlertIngest({ store: evidence.store, externalURL: publicUrl }),
        externalUrl: publicUrl,
        ...(settings.now ? { now: settings.now } : {}),
      });

  app.get('/metrics', metricsHandler({ registry, tokens: settings.metricsTokens }));
  app.use(express.json());
  app.use(express.urlencoded({ extended: false }));

  // The demo's sign-in: an operator token in an HttpOnly, SameSite=Strict cookie (src/auth.ts).
  app.get('/demo/login', (req, res) => {
    res.type('html').send(loginPage({ next: safeNext(req.query.next) }));
  });
  app.post('/demo/login', (req, res) => {
    // Login CSRF: only a form on this origin may sign a browser in.
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== `${req.protocol}://${req.headers.host}`) {
      res.status(403).type('text').send('cross-site sign-in refused');
      return;
    }
    const body = (req.body ?? {}) as { token?: unknown; next?: unknown };
    const next = safeNext(body.next);
    if (typeof body.token !== 'string' || !auth.actorFor(body.token)) {
      res.status(401).type('html').send(loginPage({ next, error: 'That is not one of the operator tokens (PARAPET_OPERATOR_TOKENS, printed at start-up).' }));
      return;
    }
    res.setHeader('set-cookie', auth.cookie(body.token, req.secure));
    res.redirect(303, next);
  });
  app.post('/demo/logout', (_req, res) => {
    res.setHeader('set-cookie', auth.clearCookie());
    res.redirect(303, '/');
  });

  app.get('/', (_req, res) => {
    res.type('html').send(homePage({ failures, user: DEMO_USER, redis: jobs.kind === 'bullmq' }));
  });
  // The failure switch: the home page's button posts a form; scripts post JSON { on, ratio? }.
  app.post('/demo/failures', (req, res) => {
    const body = (req.body ?? {}) as { on?: unknown; ratio?: unknown };
    failures.on = body.on === undefined ? !failures.on : body.on === true || body.on === 'true';
    if (typeof body.ratio === 'number' && body.ratio > 0 && body.ratio <= 1) failures.ratio = body.ratio;
    if (req.is('application/json')) res.json(failures);
    else res.redirect(303, '/');
  });

  // The product: a login, a checkout that enqueues a receipt email, a users API.
  app.post('/login', (req, res) => {
    const started = performance.now();
    const body = (req.body ?? {}) as { email?: string; password?: string };
    if (loginFails()) {
      publishJourneyStep({ journey: 'login', outcome: 'failure', reason: 'injected', durationSeconds: (performance.now() - started) / 1000 });
      res.status(503).json({ ok: false, error: 'login is failing (the demo failure switch is on)' });
      return;
    }
    // Wrong credentials are the user's outcome, not a failure of the journey: no step recorded.
    if (body.email !== DEMO_USER.email || body.password !== DEMO_USER.password) {
      res.status(401).json({ ok: false, error: `wrong credentials; the demo user is ${DEMO_USER.email} / ${DEMO_USER.password}` });
      return;
    }
    publishJourneyStep({ journey: 'login', outcome: 'success', durationSeconds: (performance.now() - started) / 1000 });
    res.json({ ok: true, user: DEMO_USER.email });
  });
  app.post('/checkout', async (req, res) => {
    const started = performance.now();
    const order = `order-${Date.now().toString(36)}`;
    await jobs.enqueue({ to: DEMO_USER.email, order });
    publishJourneyStep({ journey: 'checkout', outcome: 'success', durationSeconds: (performance.now() - started) / 1000 });
    res.status(201).json({ ok: true, order });
  });
  app.get('/orgs/:org/users/:id', (req, res) => {
    res.json({ org: req.params.org, id: req.params.id });
  });

  // Deploy markers: one on start (the metric and the evidence timeline), more via the API.
  const version = process.env.npm_package_version ?? '0.0.0-demo';
  publishDeployMarker({ version, service: 'demo', environment: process.env.NODE_ENV ?? 'demo' });
  await evidence.store.recordDeploy({ version: `demo-${new Date().toISOString()}`, service: 'demo', summary: 'demo started' });
  if (settings.seed ?? true) await seedIncidents(evidence.store);

  let server: Server | undefined;
  let traffic: Traffic | undefined;
  return {
    app, parapet, monitor, evidence, jobs, failures,
    listen(port, host = '127.0.0.1') {
      return new Promise((resolve) => {
        server = app.listen(port, host, () => {
          const address = server!.address();
          const rate = settings.trafficRate ?? 2;
          if (rate > 0 && address && typeof address === 'object') traffic = startTraffic({ base: `http://127.0.0.1:${address.port}`, rate, user: DEMO_USER });
          resolve(server!);
        });
      });
    },
    async close() {
      await traffic?.close();
      if (server) {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server!.close(() => resolve()));
      }
      await monitor?.close();
      await responseWorker.close();
      await response.close();
      await mcp.close();
      await jobs.close();
      await parapet.close();
      await evidence.close();
    },
  };
}
