// @parapet/ui-react — the operator workbench as React components (React 19 is a peer).
// Hosts that do not use React serve the prebuilt bundle with `@parapet/ui-react/handler`.

export { Workbench, WorkbenchProvider, IsolatedRoot, type WorkbenchProps } from './components/workbench.js';
export { Queue, type QueueProps } from './components/queue.js';
export { IncidentDetail, IncidentSummary, Timeline, ExternalLinks, ActionItems, actorNamesOf } from './components/detail.js';
export { Controls } from './components/controls.js';
export { RunbookPanel, type RunbookView, type RunbookStepView, type PreviewView } from './components/runbook.js';
export { EscalationChain, type EscalationView } from './components/escalation.js';
export { SeverityBadge, StateBadge } from './components/badges.js';
export { WorkbenchRouter, Link, parseRoute, type Route } from './components/router.js';
export { OperatorApi, ApiError, newIntentKey, type QueueQuery, type PageResult } from './api.js';
export { safeHref, browserSliceDashboardUid, externalLinks, type ExternalLink } from './links.js';
export { WORKBENCH_CSS } from './styles.js';
export { ACTIONS } from './types.js';
export type * from './types.js';
