import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { EVENT_FAMILIES } from '../events/channels.js';
import { COMPONENT_ID_PATTERN, INTEGRATION_CLOSE_COMPONENT, invalidEventComponent, recorderComponent, SUBSCRIBER_COMPONENT } from './components.js';

describe('internal-error component ids', () => {
  it('follow the documented scheme <package>.<component>[.<detail>]', () => {
    const ids = [
      ...EVENT_FAMILIES.flatMap((family) => [recorderComponent(family), invalidEventComponent(family)]),
      SUBSCRIBER_COMPONENT, INTEGRATION_CLOSE_COMPONENT,
      'bullmq.worker', 'bullmq.queue_events', 'bullmq.sampler', 'bullmq.job_names', 'bullmq.probes', 'my-mailer.poll',
    ];
    for (const id of ids) expect(id).toMatch(COMPONENT_ID_PATTERN);
    expect(recorderComponent('http.server.request')).toBe('core.recorder.http_server_request');
    for (const bad of ['recorder:http.server.request', 'detach', 'Core.x', 'core']) expect(bad).not.toMatch(COMPONENT_ID_PATTERN);
  });

  it('are all listed in docs/telemetry.md', async () => {
    const doc = await readFile(new URL('../../../../docs/telemetry.md', import.meta.url), 'utf8');
    for (const id of ['core.recorder.<family>', 'core.invalid_event.<family>', SUBSCRIBER_COMPONENT, INTEGRATION_CLOSE_COMPONENT,
      'bullmq.worker', 'bullmq.queue_events', 'bullmq.sampler', 'bullmq.job_names', 'bullmq.probes']) {
      expect(doc, id).toContain(`| \`${id}\``);
    }
  });
});
