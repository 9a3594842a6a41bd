// @parapet/core/slo — SLO tooling: the spec model, the generators (Prometheus rules, promtool
// tests, Alertmanager config, Grafana dashboards), the naming conventions they share and the
// helpers starter packs use. Layout: model/ -> prometheus/ -> promtool/, grafana/, alertmanager/.

// Model: spec types, definitions, validation
export type {
  AlertClass, AlertmanagerOptions, BurnRatePair, EventRatioSli, FreshnessSli, GrafanaOptions, LatencySli, MatcherValue,
  ParapetConfig, Provider, ResolvedSlice, SeriesSelector, Sli, SliceSpec, SloPeriod, WindowProfile,
} from './model/spec.js';
export { defineSlice, defineProvider, composeProviders, defineConfig, resolveConfig, resolveSlices, type ResolvedConfig } from './model/define.js';
export {
  resolveSlice, DEFAULT_MIN_BAD_EVENTS, DEFAULT_NO_DATA_FOR, DEFAULT_NO_DATA_SEVERITY, type ResolveSliceArgs,
} from './model/validate.js';
export { SloSpecError } from './model/spec-error.js';
export { workbookWindows, shortWindows, recordedWindows } from './model/windows.js';
export { errorBudget } from './model/decimal.js';
export { applyPackOptions, defineStarterPack, DEFAULT_RUNBOOK_BASE_URL, type StarterPackDefinition, type StarterPackOptions } from './model/starter-pack.js';

// Conventions: every generated name
export {
  CONFIG_VERSION, CONFIG_VERSIONS, SLO_LABEL, SEVERITY_LABEL, ALERTNAME_LABEL, PAGE_SEVERITY, TICKET_SEVERITY, RESERVED_LABELS,
  SUMMARY_ANNOTATION, DESCRIPTION_ANNOTATION, RUNBOOK_URL_ANNOTATION, BURN_RATE_ANNOTATION, BUDGET_CONSUMED_ANNOTATION, RESERVED_ANNOTATIONS,
  BASE_WINDOW, EVALUATION_INTERVAL, WINDOW_RANGE_MARGIN_SECONDS, SLO_SERIES, RULE_GROUP_PREFIX, camelCase, alertName, recordingGroupName,
  alertGroupName, WEBHOOK_RECEIVER, PAGE_RECEIVER, TICKET_RECEIVER, OVERVIEW_DASHBOARD_UID, DEFAULT_DATASOURCE_UID, DATASOURCE_NAME, DASHBOARD_TAGS, MAX_DASHBOARD_UID_LENGTH,
  sliceDashboardUid, WATCHDOG_ALERTNAME, WATCHDOG_EXPR, WATCHDOG_SEVERITY, WATCHDOG_GROUP, WATCHDOG_LABELS, WATCHDOG_ANNOTATIONS,
  WATCHDOG_HEARTBEAT_MAX_AGE_MS, WATCHDOG_ROUTE_TIMING, type AlertKind, type ConfigVersion, type Severity,
} from './conventions.js';

// Prometheus rules
export {
  generatePrometheusRules, recordingGroup, alertGroup, watchdogGroup, windowRange,
  type PrometheusRuleSet, type RuleGroup, type RecordingRule, type AlertingRule,
} from './prometheus/rules.js';
export { generatePrometheusFiles, renderPrometheusFiles, type PrometheusFiles } from './prometheus/files.js';
export { sloCostReport, formatCostReport, type SliceCost } from './prometheus/cost.js';

// promtool unit tests
export { generatePromtoolTest, generatePromtoolTests, generatePromtoolTestsLenient } from './promtool/tests.js';

// Alertmanager
export { generateAlertmanagerConfig, inhibitEqualLabels } from './alertmanager/config.js';

// Grafana
export { generateGrafanaFiles } from './grafana/dashboards.js';

// In-process burn-rate monitor (no Prometheus needed; same specs, same math)
export { startSloMonitor, registrySamples, type SloMonitor, type SloMonitorOptions, type SloMonitorWebhook, type SloMonitorEvaluation } from './monitor/monitor.js';
export { SloEvaluator, renderAnnotations, type ActiveAlert } from './monitor/evaluator.js';
export { alertmanagerPayloads, sloAlert, ZERO_TIME, type SloAlert, type SloAlertIngest, type AlertmanagerWebhookPayload } from './monitor/payload.js';
export type { MetricSample } from './monitor/series.js';
export { alertFingerprint } from './alertmanager/fingerprint.js';

// OpenSLO v1 export and import
export { generateOpenSlo, openSloDocument, openSloName, OPENSLO_ANNOTATIONS, DEFAULT_OPENSLO_SERVICE } from './openslo/export.js';
export { parseOpenSlo, openSloProvider, parseSelector, sliFromQueries, type ParseOpenSloOptions } from './openslo/import.js';
export {
  OPENSLO_API_VERSION, OPENSLO_KINDS, sloSchema, sliSchema, alertPolicySchema, alertConditionSchema, alertNotificationTargetSchema, serviceSchema,
  dataSourceSchema, type OpenSloKind,
} from './openslo/schema.js';
