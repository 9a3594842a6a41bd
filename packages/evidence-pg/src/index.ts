// @parapet/evidence-pg — the evidence spine: durable incidents from Alertmanager, audited operator
// actions, deploy markers, retention and retrospectives on PostgreSQL (or embedded PGlite).

export { createEvidenceStore, migrateEvidenceDatabase, pendingEvidenceMigrationsIn, type EvidenceStoreOptions, type EvidenceStoreHandle, type PgPoolLike } from './store.js';
export { createAlertmanagerWebhook, type AlertmanagerWebhookOptions, type DeliveryOutcome } from './webhook.js';
export { createOperatorApiHandler, type OperatorApiOptions, type OperatorRoute } from './api.js';
export { migrateEvidence, evidenceMigrationProvider, evidenceMigrations, MIGRATION_TABLE, MIGRATION_LOCK_TABLE, type MigrateReport } from './migrations.js';
export { parseAlertmanagerPayload, alertmanagerPayloadSchema, type AlertmanagerPayload } from './alertmanager.js';
export { isTransientDatabaseError } from './transient.js';
export { retrospectiveMarkdown } from './retrospective.js';
export { openApiDocument, type OpenApiDocument } from './openapi.js';
export { OPERATOR_ACTIONS } from './contract.js';
export { TIMELINE_TYPES } from './types.js';
export type * from './contract.js';
export type * from './types.js';
export type { EvidenceDatabase } from './schema.js';
// Row → API mapping, for extension packages (@parapet/mcp, @parapet/response, ...) that read the
// evidence tables through `store.db`: the incident select (every column, timestamps as canonical
// UTC strings), the row type it yields, the row → `Incident` mapping and the timestamp column helper.
// Applications use the store's methods instead.
export { selectIncidents as selectIncidentRows, toIncident as incidentFromRow, isoUtc as isoUtcColumn, type IncidentRow } from './rows.js';
export { createEvidenceMetrics, type EvidenceMetrics } from './metrics.js';
export { watchdogAlertRule, watchdogRoute } from './watchdog.js';
export { recordSystemEvents, evidenceIntegration } from './system-events.js';
export { createSloAlertIngest, type SloAlertIngestOptions } from './slo-monitor.js';
