import * as m from '../catalog/catalog.js';
import { validSeconds } from '../catalog/normalize.js';
import { secondsObserver } from './observe.js';
import type { EventFamily, EventPayloads } from '../events/types.js';
import type { MetricsRuntime } from '../metrics/runtime.js';
import { httpRecorder } from './http.js';
import { jobRecorder } from './job.js';

type Recorder<F extends EventFamily> = (event: EventPayloads[F]) => void;
export type RecorderFactories = { [F in EventFamily]: (rt: MetricsRuntime) => Recorder<F> };

const nowSeconds = () => Date.now() / 1000;

/**
 * Event family → metrics. Each recorder is the only place a family's payload becomes labels,
 * so the mapping documented in docs/telemetry.md lives here and nowhere else.
 */
export const recorders: RecorderFactories = {
  'http.server.request': httpRecorder,

  'job.run': jobRecorder,

  'job.queue_sample': (rt) => {
    const jobs = rt.gauge(m.queueJobs);
    const oldest = rt.gauge(m.queueOldestWaitingAge);
    return (e) => {
      for (const [state, count] of Object.entries(e.counts)) {
        if (typeof count === 'number' && Number.isFinite(count)) jobs.labels({ queue: e.queue, state }).set(count);
      }
      const age = validSeconds(e.oldestWaitingAgeSeconds);
      if (age !== undefined) oldest.labels({ queue: e.queue }).set(age);
    };
  },

  'journey.step': (rt) => {
    const observeDuration = secondsObserver({ metrics: rt, family: 'journey.step', field: 'durationSeconds' });
    const steps = rt.counter(m.journeySteps);
    const duration = rt.histogram(m.journeyStepDuration);
    return (e) => {
      const labels = { journey: e.journey, step: e.step ?? e.journey, outcome: e.outcome };
      steps.labels(labels).inc(1);
      observeDuration(e.durationSeconds, () => duration.labels(labels), e.traceId);
    };
  },

  'delivery.outbound': (rt) => {
    const observeDuration = secondsObserver({ metrics: rt, family: 'delivery.outbound', field: 'durationSeconds' });
    const outbound = rt.counter(m.deliveryOutbound);
    const duration = rt.histogram(m.deliveryOutboundDuration);
    return (e) => {
      const base = { integration: e.integration, provider: e.provider, channel: e.channel, outcome: e.outcome };
      outbound.labels({ ...base, fault_plane: e.faultPlane ?? 'none' }).inc(1);
      observeDuration(e.durationSeconds, () => duration.labels(base), e.traceId);
    };
  },

  'delivery.provider_feedback': (rt) => {
    const feedback = rt.counter(m.deliveryProviderFeedback);
    return (e) => {
      feedback.labels({
        integration: e.integration, provider: e.provider, channel: e.channel, outcome: e.outcome,
        failure_class: e.failureClass ?? 'none', fault_plane: e.faultPlane ?? 'none',
      }).inc(1);
    };
  },

  'delivery.webhook_ingest': (rt) => {
    const observeDelay = secondsObserver({ metrics: rt, family: 'delivery.webhook_ingest', field: 'delaySeconds' });
    const ingest = rt.counter(m.deliveryWebhookIngest);
    const delay = rt.histogram(m.deliveryWebhookDelay);
    const last = rt.gauge(m.deliveryWebhookLastReceived);
    return (e) => {
      const where = { integration: e.integration, provider: e.provider, channel: e.channel };
      ingest.labels({ ...where, outcome: e.outcome, fault_plane: e.faultPlane ?? 'none' }).inc(1);
      observeDelay(e.delaySeconds, () => delay.labels(where));
      last.labels(where).set(nowSeconds());
    };
  },

  'async.stage': (rt) => {
    const observeDuration = secondsObserver({ metrics: rt, family: 'async.stage', field: 'durationSeconds' });
    const stages = rt.counter(m.asyncStage);
    const duration = rt.histogram(m.asyncStageDuration);
    return (e) => {
      const base = { integration: e.integration, provider: e.provider, queue: e.queue, pipeline_stage: e.stage, outcome: e.outcome };
      stages.labels({ ...base, retry_state: e.retryState ?? 'first_attempt', fault_plane: e.faultPlane ?? 'none' }).inc(1);
      observeDuration(e.durationSeconds, () => duration.labels(base), e.traceId);
    };
  },

  'async.backlog': (rt) => {
    const depth = rt.gauge(m.asyncBacklogDepth);
    const oldest = rt.gauge(m.asyncBacklogOldestAge);
    return (e) => {
      const where = { integration: e.integration, provider: e.provider, queue: e.queue };
      if (typeof e.depth === 'number' && Number.isFinite(e.depth)) depth.labels(where).set(e.depth);
      const age = validSeconds(e.oldestAgeSeconds);
      if (age !== undefined) oldest.labels(where).set(age);
    };
  },

  'async.callback': (rt) => {
    const observeDelay = secondsObserver({ metrics: rt, family: 'async.callback', field: 'delaySeconds' });
    const callbacks = rt.counter(m.asyncCallbacks);
    const delay = rt.histogram(m.asyncCallbackDelay);
    const lastSuccess = rt.gauge(m.asyncCallbackLastSuccess);
    return (e) => {
      const where = { integration: e.integration, provider: e.provider, queue: e.queue, pipeline_stage: e.stage };
      callbacks.labels({ ...where, outcome: e.outcome }).inc(1);
      observeDelay(e.delaySeconds, () => delay.labels(where));
      if (e.outcome === 'succeeded') lastSuccess.labels(where).set(nowSeconds());
    };
  },

  'probe.run': (rt) => {
    const observeDuration = secondsObserver({ metrics: rt, family: 'probe.run', field: 'durationSeconds' });
    const runs = rt.counter(m.probeRuns);
    const duration = rt.histogram(m.probeRunDuration);
    return (e) => {
      const labels = { probe: e.probe, outcome: e.outcome };
      runs.labels(labels).inc(1);
      observeDuration(e.durationSeconds, () => duration.labels(labels));
    };
  },

  'deploy.marker': (rt) => {
    const deploys = rt.counter(m.deploys);
    const last = rt.gauge(m.deployLastTimestamp);
    return (e) => {
      const labels = { service: e.service, environment: e.environment };
      deploys.labels(labels).inc(1);
      last.labels(labels).set((e.at ? e.at.getTime() : Date.now()) / 1000);
    };
  },

  'flag.change': (rt) => {
    const changes = rt.counter(m.flagChanges);
    return (e) => changes.labels({ flag: e.flag, source: e.source }).inc(1);
  },
};
