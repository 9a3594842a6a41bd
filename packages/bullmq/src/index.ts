// @parapet/bullmq: BullMQ job runs, queue gauges and a cross-process probe scheduler for Parapet.
export { bullmq, type BullmqOptions } from './integration.js';
export { instrumentWorker, type InstrumentWorkerOptions, type Instrumentation } from './worker.js';
export { instrumentQueueEvents, type InstrumentQueueEventsOptions } from './queue-events.js';
export { sampleQueue, startQueueSampler, type QueueSampler, type QueueSamplerOptions } from './sampler.js';
export { startBullmqProbeScheduler, probeSchedulerId, type BullmqProbeScheduler, type BullmqProbeSchedulerOptions } from './probe-scheduler.js';
export { OTHER_JOB, UNNAMED_JOB, UNKNOWN_JOB, DEFAULT_MAX_JOB_NAMES, type JobNamesOption } from './job-names.js';
export { failureOutcome, runSeconds, waitSeconds, type JobFields } from './job-run.js';
export { BullmqOptionsError, type ErrorReporter } from './errors.js';
