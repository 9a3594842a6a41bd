import { reportToAttached } from '../metrics/runtime.js';
import { HTTP_TRACE_ID_COMPONENT } from '../internal/components.js';

/**
 * Trace ids for exemplars, from `@opentelemetry/api` when the host has it. It is an optional
 * peer: loaded once with a guarded dynamic import (never a top-level import), so a host without
 * it pays nothing and never sees an error. Until the import settles (one tick after an adapter's
 * setup calls `loadOtelTraceId`) no trace id is read. Shared by the HTTP adapters.
 */
export type TraceIdReader = () => string | undefined;

const INVALID_TRACE_ID = '00000000000000000000000000000000';

let reader: TraceIdReader | undefined;
let loading: Promise<TraceIdReader | undefined> | undefined;

/** Start loading the OTel API (idempotent); resolves to the reader, or undefined without OTel. */
export function loadOtelTraceId(): Promise<TraceIdReader | undefined> {
  loading ??= import('@opentelemetry/api').then(
    (api) => {
      reader = () => {
        const id = api.trace.getActiveSpan()?.spanContext().traceId;
        return id && id !== INVALID_TRACE_ID ? id : undefined;
      };
      return reader;
    },
    () => undefined,
  );
  return loading;
}

/** The active span's trace id, once the OTel API is loaded; never throws. */
export function otelTraceId(): string | undefined {
  if (reader === undefined) return undefined;
  try {
    return reader();
  } catch {
    return undefined;
  }
}

/**
 * The exemplar trace-id reader for an HTTP adapter's `traceId` option: the user's function,
 * none for `false`, or by default the active OpenTelemetry span (starting the guarded import).
 * The returned reader never throws: a user reader that throws, or returns something other than a
 * string or undefined, is counted in `parapet_internal_errors_total{component="core.http_trace_id"}`
 * and logged by every attached Parapet, and the request gets no exemplar. (Ids longer than the
 * OpenMetrics exemplar limit are dropped and counted when recorded: `component="core.exemplar_dropped"`.)
 */
export function traceIdReader<A>(option: false | ((arg: A) => string | undefined) | undefined): (arg: A) => string | undefined {
  if (option === false) return () => undefined;
  if (option === undefined) {
    void loadOtelTraceId();
    return otelTraceId;
  }
  return (arg) => {
    try {
      const id: unknown = option(arg);
      if (id === undefined || typeof id === 'string') return id === '' ? undefined : id;
      reportToAttached(HTTP_TRACE_ID_COMPONENT, new TypeError(`the traceId option returned ${id === null ? 'null' : typeof id}; return a trace id string or undefined`));
    } catch (error) {
      reportToAttached(HTTP_TRACE_ID_COMPONENT, error);
    }
    return undefined;
  };
}
