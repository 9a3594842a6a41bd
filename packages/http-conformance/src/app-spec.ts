import type { MetricsHandlerOptions } from '@parapet/core';

/**
 * The standard app every adapter serves for the conformance suite. Middleware order: a test
 * tracing middleware (activates a span whose trace id is the `x-test-trace-id` header, see
 * withTraceId), then Parapet's middleware, then:
 *
 * | route | answer |
 * |---|---|
 * | GET /health | 200 `{"ok":true}` |
 * | GET /users/:id | 200 `{"id":…}` (HEAD is served by this route) |
 * | OPTIONS /users/:id | 204 with `Allow: GET, HEAD, OPTIONS` (an explicit handler) |
 * | POST /users | 201 `{"created":true}` |
 * | GET /orgs/:org/users/:id | 200, registered through nesting: Express `app.use('/orgs/:org/users', router)` + `router.get('/:id')`; Hono `app.route('/orgs/:org', sub)` + `sub.get('/users/:id')` |
 * | GET /boom | throws `Error('boom')`; the framework's default error path answers 500 |
 * | GET /recover | throws `Error('recoverable')`; the app's error handler answers 200 `recovered` |
 * | GET /stream | 200, STREAM_CHUNKS chunks written STREAM_GAP_MS apart (first one at once) |
 * | GET /slow | answers 200 after SLOW_MS (clients abort it) |
 * | GET /fail/write | writes a first chunk, then fails through the framework's error path (Express: `next(err)` after `res.write()`; Hono: the body stream errors after its first chunk) |
 * | GET /fail/async | an async handler that fails after the first chunk (Express 5: an async throw; Express 4: `.catch(next)`; Hono: the body's async pull throws) |
 * | GET /fail/stream | the body is piped from a source that errors midway (Express: `pipeline()`; Hono: a `ReadableStream` that errors) |
 * | POST /echo | parses a JSON body (Express: app-level `express.json()`; Hono: `c.req.json()`, a parse failure answers 400) and answers 200 with it |
 * | GET /metrics | the adapter's metrics handler with the options the suite passes |
 */
export const STREAM_CHUNKS = 3;
export const STREAM_GAP_MS = 150;
export const SLOW_MS = 600;

export interface RunningApp {
  /** `http://127.0.0.1:<port>` */
  url: string;
  close(): Promise<void>;
}

export interface ConformanceTarget {
  /** `express 4`, `express 5`, `hono`, ... */
  name: string;
  /** Serve the standard app on 127.0.0.1, an ephemeral port, with these metrics handler options. */
  start(metrics: MetricsHandlerOptions): Promise<RunningApp>;
  /** Resolves when the adapter can read OpenTelemetry trace ids (its optional import settled). */
  ready?: () => Promise<unknown>;
}

/** Route templates of the standard app: the only route labels any traffic may produce. */
export const TEMPLATES = [
  '/health', '/users/:id', '/users', '/orgs/:org/users/:id', '/boom', '/recover', '/stream', '/slow',
  '/fail/write', '/fail/async', '/fail/stream', '/echo', '_unmatched',
] as const;

/** Routes whose response fails after its headers were sent (see the table above). */
export const FAILING_ROUTES = ['/fail/write', '/fail/async', '/fail/stream'] as const;
