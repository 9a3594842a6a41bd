import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { needs } from '@parapet/vitest-preset/services';
import { generatePrometheusFiles } from '../prometheus/files.js';
import { generatePromtoolTest, generatePromtoolTests } from './tests.js';
import { alertGroup, recordingGroup } from '../prometheus/rules.js';
import { fixtureSlices, tempDir, tool, writeFiles } from '../../../test/slo-fixtures.js';
import { generatedHeader, toYaml } from '../internal/yaml.js';
import { parse } from 'yaml';

/** Keeps only the scenarios whose name contains `part`, to run a negative control quickly. */
function only(testFile: string, part: string): string {
  const doc = parse(testFile) as { tests: { name: string }[] };
  return toYaml({ ...doc, tests: doc.tests.filter((t) => t.name.includes(part)) });
}

describe.skipIf(!(await needs('promtool')))('generated rules under promtool', () => {
  const slices = fixtureSlices();

  it('pass promtool check rules --lint=all --lint-fatal', async () => {
    const dir = tempDir();
    writeFiles(dir, { ...generatePrometheusFiles(slices) });
    const { code, output } = await tool('promtool', ['check', 'rules', '--lint=all', '--lint-fatal', 'recording_rules.yml', 'alerts.yml', 'rules.yml'], dir);
    expect(output).toContain('SUCCESS: 190 rules found');
    expect(code).toBe(0);
  });

  it('pass their generated unit tests (healthy, fast burn, slow burn, low traffic, outage, no data)', async () => {
    const dir = tempDir();
    const files = generatePromtoolTests(slices);
    writeFiles(dir, files);
    const tests = Object.keys(files).filter((f) => f.endsWith('.test.yml'));
    expect(tests).toHaveLength(5);
    const results = await Promise.all(tests.map((f) => tool('promtool', ['test', 'rules', f], dir)));
    results.forEach((r, i) => expect(r.output, tests[i]).toContain('SUCCESS'));
    expect(results.map((r) => r.code)).toEqual(tests.map(() => 0));
  }, 120_000);

  it('fail when the rules are wrong: a guard of 1 bad event pages on a single failure', async () => {
    const dir = tempDir();
    const [login] = slices;
    const [weak] = fixtureSlices({ minBadEvents: 1 });
    writeFiles(dir, {
      'login_journey.rules.yml': generatedHeader('test') + toYaml({ groups: [recordingGroup(weak!), alertGroup(weak!)] }),
      'login_journey.test.yml': only(generatePromtoolTest(login!)!, 'one failure'),
    });
    const { code, output } = await tool('promtool', ['test', 'rules', 'login_journey.test.yml'], dir);
    expect(code).not.toBe(0);
    expect(output).toMatch(/one failure at 1 event per minute stays silent[\s\S]*alertname: LoginJourneyBudgetBurnPage/);
  }, 60_000);

  it('fail when the rules are wrong: a threshold off by 10x fires at the wrong minute', async () => {
    const dir = tempDir();
    const [login] = slices;
    const rules = generatedHeader('test') + toYaml({ groups: [recordingGroup(login!), alertGroup(login!)] });
    writeFiles(dir, {
      'login_journey.rules.yml': rules.replaceAll('> 14.4', '> 1.44'),
      'login_journey.test.yml': only(generatePromtoolTest(login!)!, 'fast burn'),
    });
    const { code, output } = await tool('promtool', ['test', 'rules', join(dir, 'login_journey.test.yml')]);
    expect(code).not.toBe(0);
    expect(output).toContain('fast burn');
  }, 60_000);
});
