import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { needs } from '@parapet/vitest-preset/services';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { responseAlertRules } from './metrics.js';

const hasPromtool = await needs('promtool');

describe('responseAlertRules', () => {
  it.runIf(hasPromtool)('is a rule group promtool accepts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parapet-response-rules-'));
    try {
      writeFileSync(join(dir, 'rules.yml'), stringify({ groups: [responseAlertRules()] }));
      const { stdout } = await promisify(execFile)('promtool', ['check', 'rules', 'rules.yml'], { cwd: dir });
      expect(stdout).toContain('SUCCESS: 3 rules found');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names the metrics the engine exports', () => {
    const exprs = responseAlertRules().rules.map((r) => r.expr).join('\n');
    for (const m of ['parapet_response_outbox_lag_seconds', 'parapet_response_notification_failures_total', 'parapet_response_escalation_lag_seconds']) expect(exprs).toContain(m);
  });
});
