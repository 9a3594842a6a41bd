// SLO model, providers and generators (issue 3). Barrel re-exported from the package root.
export type {
  AlertClass, AlertmanagerOptions, BurnRatePair, EventRatioSli, FreshnessSli, GrafanaOptions, LatencySli, MatcherValue,
  ParapetConfig, Provider, SeriesSelector, Sli, SliceSpec, SloPeriod, WindowProfile,
} from './spec.js';
export { defineSlice, defineProvider, composeProviders, defineConfig, resolveConfig, resolveSlices, type ResolvedConfig } from './define.js';
export { SloSpecError, resolveSlice, DEFAULT_MIN_BAD_EVENTS, DEFAULT_NO_DATA_FOR, type ResolvedSlice } from './validate.js';
export { workbookWindows, recordedWindows } from './windows.js';
export { SERIES as SLO_SERIES, alertName as sloAlertName } from './names.js';
export {
  generatePrometheusRules, recordingGroup as sloRecordingGroup, alertGroup as sloAlertGroup,
  type PrometheusRuleSet, type RuleGroup as SloRuleGroup, type RecordingRule as SloRecordingRule, type AlertingRule as SloAlertingRule,
} from './rules.js';
export { generatePrometheusFiles, renderPrometheusFiles, type PrometheusFiles } from './prometheus-files.js';
export { generatePromtoolTest, generatePromtoolTests, generatePromtoolTestsLenient } from './promtool-tests.js';
export { generateAlertmanagerConfig } from './alertmanager.js';
export { generateGrafanaFiles, sliceDashboardUid } from './grafana.js';
export { sloCostReport, formatCostReport, type SliceCost } from './cost.js';
export { budgetOf as sloErrorBudget } from './decimal.js';
