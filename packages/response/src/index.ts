// @parapet/response — runbooks with preview → confirm, escalation policies, Slack/Teams/signed
// webhook notifications through a transactional outbox, and bounded auto-mitigation, all on the
// evidence store (its migrations, its transactions, its operator API).

export { createResponseEngine, SYSTEM_ACTOR, type ResponseEngine, type ResponseEngineOptions, type ResponseHealth, type TickReport, type NotificationEvent, type DeliveryOptions } from './engine.js';
export { responseExtension } from './migrations.js';
export { defineRunbook, runbookTemplates, matchRunbook, policyFor } from './runbooks.js';
export { slackNotifier, teamsNotifier, webhookNotifier, slackSafe, teamsSafe, truncate, parseRetryAfter, backoffMs, classify, TEAMS_MAX_BYTES, type Notifier, type NotificationMessage, type RenderedRequest, type AttemptOutcome } from './notifiers.js';
export { createResponseMetrics, responseAlertRules, type ResponseMetrics } from './metrics.js';
export { responseOpenApiDocument } from './openapi.js';
export type * from './types.js';
