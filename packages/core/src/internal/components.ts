import type { EventFamily } from '../events/types.js';

/**
 * Component ids: the `component` label of `parapet_internal_errors_total`, so public values.
 * Scheme: `<package>.<component>[.<detail>]`, segments joined by dots, each lower snake case
 * (the first may also contain `-`); `<package>` is the npm package without `@parapet/` (`core`,
 * `bullmq`, `express`, ...) or, for a third-party integration, its `Integration.name`. Event families appear with `.` → `_`
 * (`http.server.request` → `http_server_request`). docs/telemetry.md lists every id.
 */
export const COMPONENT_ID_PATTERN = /^[a-z][a-z0-9_-]*(\.[a-z0-9_]+)+$/;

const snake = (family: EventFamily): string => family.replaceAll('.', '_');

/** A catalog recorder threw while recording an event of `family`. */
export const recorderComponent = (family: EventFamily): string => `core.recorder.${snake(family)}`;

/** An event of `family` had an invalid field (e.g. a negative duration): counted, field skipped. */
export const invalidEventComponent = (family: EventFamily): string => `core.invalid_event.${snake(family)}`;

/** A subscriber that is not Parapet's own threw on a Parapet channel (see events/channels.ts). */
export const SUBSCRIBER_COMPONENT = 'core.subscriber';

/** An integration's teardown failed during `close()` of the attach handle. */
export const INTEGRATION_CLOSE_COMPONENT = 'core.integration_close';

/** A framework adapter's `skip` option threw: the request is recorded anyway. */
export const HTTP_SKIP_COMPONENT = 'core.http_skip';

/** A framework adapter's `traceId` option threw or returned a non-string: no exemplar. */
export const HTTP_TRACE_ID_COMPONENT = 'core.http_trace_id';

/** A trace id past OpenMetrics' 128-character exemplar label-set limit: the exemplar is dropped, the observation kept. */
export const EXEMPLAR_DROPPED_COMPONENT = 'core.exemplar_dropped';
