import { describe, expect, it } from 'vitest';
import * as p from '../events/publish.js';
import { find, type Sample } from '@parapet/vitest-preset/exposition';
import { withParapet } from '../../test/harness.js';

/** Zero-initialized counter siblings (asserted on their own below). */
const isZeroCounter = (s: Sample) => s.name.endsWith('_total') && s.value === 0;

/** Publish, scrape, and return the recorded (non-zero-initialized) samples of one metric. */
async function record(publish: () => void, name: string): Promise<Sample[]> {
  return withParapet(async ({ scrape }) => {
    publish();
    return find(await scrape(), name).filter((s) => !isZeroCounter(s));
  });
}

const one = (samples: Sample[]) => {
  expect(samples).toHaveLength(1);
  return samples[0]!;
};

describe('every event family reaches its metrics with the right labels', () => {
  it('http.server.request', async () => {
    const publish = () => {
      p.publishHttpServerRequest({ method: 'get', route: '/orgs/:org/users/:id', statusCode: 200, durationSeconds: 0.03, traceId: '4bf92f3577b34da6a3ce929d0e0e4736' });
      p.publishHttpServerRequest({ method: 'POST', route: '/login', statusCode: 200, durationSeconds: 0.2, error: new Error('boom') });
      p.publishHttpServerRequest({ method: 'GET', route: '/stream', statusCode: 200, durationSeconds: 1, aborted: true });
      p.publishHttpServerRequest({ method: 'PROPFIND', route: undefined, statusCode: 404, durationSeconds: 0.001 });
    };
    const requests = await record(publish, 'parapet_http_server_requests_total');
    expect(requests.map((s) => s.labels)).toEqual([
      { route: '/orgs/:org/users/:id', method: 'GET', status_class: '2xx', status_code: '200' },
      { route: '/login', method: 'POST', status_class: '5xx', status_code: '500' },
      { route: '/stream', method: 'GET', status_class: 'aborted', status_code: '499' },
      { route: '_unmatched', method: '_other', status_class: '4xx', status_code: '404' },
    ]);
    const buckets = await record(publish, 'parapet_http_server_request_duration_seconds_bucket');
    const hit = buckets.find((s) => s.labels.route === '/orgs/:org/users/:id' && s.labels.le === '0.05')!;
    expect(hit.value).toBe(1);
    expect(buckets.find((s) => s.labels.route === '/orgs/:org/users/:id' && s.labels.le === '0.025')!.value).toBe(0);
    expect(buckets.filter((s) => s.labels.route === '/login').map((s) => s.labels.le)).toEqual(
      ['0.005', '0.01', '0.025', '0.05', '0.075', '0.1', '0.25', '0.5', '0.75', '1', '2.5', '5', '7.5', '10', '+Inf'],
    );
  });

  it('job.run', async () => {
    const publish = () => p.publishJobRun({ queue: 'emails', job: 'send-welcome', outcome: 'retrying', attempt: 4, durationSeconds: 2, waitSeconds: 40 });
    expect(one(await record(publish, 'parapet_job_runs_total')).labels).toEqual({ queue: 'emails', job: 'send-welcome', outcome: 'retrying', attempt: '4-5' });
    expect(one(await record(publish, 'parapet_job_run_duration_seconds_sum')).value).toBe(2);
    expect(one(await record(publish, 'parapet_job_wait_duration_seconds_sum'))).toMatchObject({ labels: { queue: 'emails', job: 'send-welcome' }, value: 40 });
  });

  it('job.queue_sample', async () => {
    const publish = () => p.publishJobQueueSample({ queue: 'emails', counts: { waiting: 12, active: 2, delayed: 0, failed: 3 }, oldestWaitingAgeSeconds: 95 });
    const jobs = await record(publish, 'parapet_queue_jobs');
    expect(Object.fromEntries(jobs.map((s) => [s.labels.state, s.value]))).toEqual({ waiting: 12, active: 2, delayed: 0, failed: 3 });
    expect(one(await record(publish, 'parapet_queue_oldest_waiting_age_seconds'))).toMatchObject({ labels: { queue: 'emails' }, value: 95 });
  });

  it('journey.step', async () => {
    const publish = () => p.publishJourneyStep({ journey: 'login', outcome: 'failure', durationSeconds: 0.4, refs: { user_id: 'u_42' } });
    expect(one(await record(publish, 'parapet_journey_steps_total')).labels).toEqual({ journey: 'login', step: 'login', outcome: 'failure' });
    expect(one(await record(publish, 'parapet_journey_step_duration_seconds_count')).value).toBe(1);
  });

  it('delivery.outbound, provider_feedback and webhook_ingest', async () => {
    const base = { integration: 'mailer', provider: 'postmark', channel: 'email' } as const;
    const outbound = () => p.publishDeliveryOutbound({ ...base, outcome: 'provider_accepted', durationSeconds: 0.3, refs: { message_id: 'm-1' } });
    expect(one(await record(outbound, 'parapet_delivery_outbound_total')).labels).toEqual({ ...base, outcome: 'provider_accepted', fault_plane: 'none' });
    expect(one(await record(outbound, 'parapet_delivery_outbound_duration_seconds_count')).labels).toEqual({ ...base, outcome: 'provider_accepted' });

    const feedback = () => p.publishDeliveryProviderFeedback({ ...base, outcome: 'bounced', failureClass: 'hard_bounce', faultPlane: 'provider' });
    expect(one(await record(feedback, 'parapet_delivery_provider_feedback_total')).labels).toEqual({
      ...base, outcome: 'bounced', failure_class: 'hard_bounce', fault_plane: 'provider',
    });

    const before = Date.now() / 1000;
    const ingest = () => p.publishDeliveryWebhookIngest({ ...base, outcome: 'delivered', delaySeconds: 7 });
    expect(one(await record(ingest, 'parapet_delivery_webhook_ingest_total')).labels).toEqual({ ...base, outcome: 'delivered', fault_plane: 'none' });
    expect(one(await record(ingest, 'parapet_delivery_webhook_delay_seconds_sum')).value).toBe(7);
    expect(one(await record(ingest, 'parapet_delivery_webhook_last_received_timestamp_seconds')).value).toBeGreaterThanOrEqual(before);
  });

  it('async.stage, backlog and callback', async () => {
    const base = { integration: 'media', provider: 'transcoder', queue: 'video' } as const;
    const stage = () => p.publishAsyncStage({ ...base, stage: 'transcode', outcome: 'retryable_failed', retryState: 'retrying', faultPlane: 'worker', durationSeconds: 12 });
    expect(one(await record(stage, 'parapet_async_stage_total')).labels).toEqual({
      ...base, pipeline_stage: 'transcode', outcome: 'retryable_failed', retry_state: 'retrying', fault_plane: 'worker',
    });
    expect(one(await record(stage, 'parapet_async_stage_duration_seconds_sum')).value).toBe(12);

    const backlog = () => p.publishAsyncBacklog({ ...base, depth: 40, oldestAgeSeconds: 300 });
    expect(one(await record(backlog, 'parapet_async_backlog_depth')).value).toBe(40);
    expect(one(await record(backlog, 'parapet_async_backlog_oldest_age_seconds')).value).toBe(300);

    const callback = () => p.publishAsyncCallback({ ...base, stage: 'transcode', outcome: 'succeeded', delaySeconds: 65 });
    expect(one(await record(callback, 'parapet_async_callbacks_total')).labels).toEqual({ ...base, pipeline_stage: 'transcode', outcome: 'succeeded' });
    expect(one(await record(callback, 'parapet_async_callback_delay_seconds_sum')).value).toBe(65);
    expect(one(await record(callback, 'parapet_async_callback_last_success_timestamp_seconds')).value).toBeGreaterThan(1.7e9);
    const failed = () => p.publishAsyncCallback({ ...base, stage: 'transcode', outcome: 'discarded' });
    expect(await record(failed, 'parapet_async_callback_last_success_timestamp_seconds')).toHaveLength(0);
  });

  it('probe.run', async () => {
    const publish = () => p.publishProbeRun({ probe: 'checkout', outcome: 'timeout', durationSeconds: 5, reason: 'no answer in 5s' });
    expect(one(await record(publish, 'parapet_probe_runs_total')).labels).toEqual({ probe: 'checkout', outcome: 'timeout' });
    expect(one(await record(publish, 'parapet_probe_run_duration_seconds_sum')).value).toBe(5);
  });

  it('deploy.marker', async () => {
    const at = new Date('2026-11-20T10:00:00Z');
    const publish = () => p.publishDeployMarker({ service: 'api', environment: 'production', version: 'a1b2c3d', at });
    expect(one(await record(publish, 'parapet_deploys_total')).labels).toEqual({ service: 'api', environment: 'production' });
    expect(one(await record(publish, 'parapet_deploy_last_timestamp_seconds')).value).toBe(at.getTime() / 1000);
  });

  it('flag.change', async () => {
    const publish = () => p.publishFlagChange({ flag: 'new-checkout', source: 'unleash', actor: 'alice@example.com' });
    expect(one(await record(publish, 'parapet_flag_changes_total')).labels).toEqual({ flag: 'new-checkout', source: 'unleash' });
  });

  it('never turns identifiers into labels', async () => {
    const samples = await withParapet(async ({ scrape }) => {
      p.publishJourneyStep({ journey: 'signup', outcome: 'success', refs: { user_id: 'u_1', email: 'a@b.c' } });
      p.publishDeliveryOutbound({ integration: 'mailer', provider: 'ses', channel: 'email', outcome: 'attempted', refs: { message_id: 'm_9' } });
      return scrape();
    });
    const text = JSON.stringify(samples);
    for (const id of ['u_1', 'a@b.c', 'm_9']) expect(text).not.toContain(id);
  });

  it('records an invalid duration as a counted error without losing the event', async () => {
    await withParapet(async ({ scrape }) => {
      p.publishHttpServerRequest({ method: 'GET', route: '/x', statusCode: 200, durationSeconds: Number.NaN });
      const samples = await scrape();
      expect(one(find(samples, 'parapet_http_server_requests_total', { status_code: '200' })).value).toBe(1);
      expect(find(samples, 'parapet_http_server_request_duration_seconds_count')).toHaveLength(1);
      expect(find(samples, 'parapet_http_server_request_duration_seconds_count')[0]!.value).toBe(0);
      expect(one(find(samples, 'parapet_internal_errors_total', { component: 'core.invalid_event.http_server_request' })).value).toBe(1);
    }, { logger: { warn() {}, error() {} } });
  });

  it('creates the zero series SLOs alert on, so increase() sees the first failure', async () => {
    const zeros = await withParapet(async ({ scrape }) => {
      p.publishHttpServerRequest({ method: 'GET', route: '/x', statusCode: 200, durationSeconds: 0.01 });
      p.publishJourneyStep({ journey: 'login', outcome: 'success' });
      p.publishJobRun({ queue: 'q', job: 'j', outcome: 'completed', attempt: 2 });
      p.publishProbeRun({ probe: 'home', outcome: 'success', durationSeconds: 0.1 });
      p.publishDeliveryOutbound({ integration: 'mailer', provider: 'ses', channel: 'email', outcome: 'provider_accepted' });
      return (await scrape()).filter(isZeroCounter).map((s) => `${s.name}${JSON.stringify(s.labels)}`);
    });
    expect(zeros.sort()).toEqual([
      'parapet_delivery_outbound_total{"integration":"mailer","provider":"ses","channel":"email","outcome":"failed","fault_plane":"none"}',
      'parapet_http_server_requests_total{"route":"/x","method":"GET","status_class":"5xx","status_code":"500"}',
      'parapet_job_runs_total{"queue":"q","job":"j","outcome":"completed","attempt":"1"}',
      'parapet_job_runs_total{"queue":"q","job":"j","outcome":"discarded","attempt":"1"}',
      'parapet_job_runs_total{"queue":"q","job":"j","outcome":"failed","attempt":"1"}',
      'parapet_journey_steps_total{"journey":"login","step":"login","outcome":"failure"}',
      'parapet_probe_runs_total{"probe":"home","outcome":"failure"}',
      'parapet_probe_runs_total{"probe":"home","outcome":"timeout"}',
    ]);
  });
});
