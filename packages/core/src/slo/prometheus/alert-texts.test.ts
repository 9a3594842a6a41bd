import { describe, expect, it } from 'vitest';
import { needs } from '@parapet/vitest-preset/services';
import { fixtureSlices, tempDir, tool, writeFiles } from '../../../test/slo-fixtures.js';
import { generatedHeader, toYaml } from '../internal/yaml.js';
import { alertGroup, recordingGroup } from './rules.js';

/**
 * What Prometheus really renders: a total outage of a 99.9% slice spends 100000% of the budget
 * over the data it has. humanizePercentage printed that as "1e+05%"; the texts must not.
 */
const [login] = fixtureSlices();

describe.skipIf(!(await needs('promtool')))('alert texts as Prometheus renders them', () => {
  it('prints burn rate and budget consumed with one decimal, never in exponent notation', async () => {
    const dir = tempDir();
    const page = alertGroup(login!)!.rules[0]!;
    const rendered = (text: string) => text.replace('{{ $value | printf "%.1f" }}', '1000.0');
    writeFiles(dir, {
      'rules.yml': generatedHeader('test') + toYaml({ groups: [recordingGroup(login!), alertGroup(login!)] }),
      'texts.test.yml': toYaml({
        rule_files: ['rules.yml'],
        evaluation_interval: '1m',
        group_eval_order: ['parapet_slo_login_journey_recordings', 'parapet_slo_login_journey_alerts'],
        tests: [{
          name: 'every login fails from the start',
          interval: '1m',
          input_series: [
            { series: 'parapet_journey_steps_total{journey="login",outcome="success"}', values: '0x70' },
            { series: 'parapet_journey_steps_total{journey="login",outcome="failure"}', values: '0+10x70' },
          ],
          alert_rule_test: [{
            eval_time: '65m',
            alertname: 'LoginJourneyBudgetBurnPage',
            exp_alerts: [{
              exp_labels: { slo: 'login_journey', severity: 'page' },
              exp_annotations: {
                summary: page.annotations.summary!,
                description: rendered(page.annotations.description!),
                runbook_url: page.annotations.runbook_url!,
                burn_rate: '1000.0',
                budget_consumed: '100000.0%',
              },
            }],
          }],
        }],
      }),
    });
    const { code, output } = await tool('promtool', ['test', 'rules', 'texts.test.yml'], dir);
    expect(output).toContain('SUCCESS');
    expect(code).toBe(0);
  }, 60_000);
});
