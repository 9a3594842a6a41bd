import { generatePrometheusRules, type PrometheusRuleSet, type RuleGroup } from './rules.js';
import type { WindowProfile } from '../model/spec.js';
import type { ResolvedSlice } from '../model/spec.js';
import { generatedHeader, toYaml } from '../internal/yaml.js';

export interface PrometheusFiles {
  readonly 'recording_rules.yml': string;
  readonly 'alerts.yml': string;
  /** Recording and alerting groups together, for setups that load one file. */
  readonly 'rules.yml': string;
}

function render(groups: readonly RuleGroup[]): string {
  return generatedHeader('parapet gen prometheus') + toYaml({ groups });
}

export function renderPrometheusFiles(rules: PrometheusRuleSet): PrometheusFiles {
  return {
    'recording_rules.yml': render(rules.recording),
    'alerts.yml': render(rules.alerting),
    'rules.yml': render([...rules.recording, ...rules.alerting]),
  };
}

/** The three rule files for a set of validated slices. Same input, same bytes. */
export function generatePrometheusFiles(slices: readonly ResolvedSlice[], profile?: WindowProfile): PrometheusFiles {
  return renderPrometheusFiles(generatePrometheusRules(slices, profile));
}
