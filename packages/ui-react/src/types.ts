/**
 * The shapes the workbench reads from the operator HTTP contract (docs/operator-api.md,
 * `@parapet/evidence-pg/openapi.json`). Declared here so the browser bundle carries no server code.
 */
export type IncidentState = 'open' | 'investigating' | 'resolved';

export interface Actor {
  id: string;
  name: string;
  role: string;
}

export interface Escalation {
  step: number;
  nextAt: string | null;
  suppressedUntil: string | null;
  stopped: boolean;
}

export interface IncidentAlert {
  fingerprint: string;
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  startsAt: string;
  endsAt: string | null;
}

export interface Incident {
  id: string;
  state: IncidentState;
  alertname: string;
  slo: string | null;
  severity: string | null;
  fingerprint: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  runbookUrl: string | null;
  traceId: string | null;
  triageSummary: string | null;
  openedAt: string;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  assignee: string | null;
  resolvedAt: string | null;
  escalation: Escalation;
  alerts: IncidentAlert[];
  updatedAt: string;
}

export interface TimelineEntry {
  id: string;
  incidentId: string;
  type: string;
  at: string;
  actor: string | null;
  summary: string;
  data: Record<string, unknown>;
}

export interface Audit {
  id: string;
  incidentId: string | null;
  actor: Actor;
  action: string;
  rationale: string;
  idempotencyKey: string | null;
  outcome: 'succeeded' | 'rejected';
  at: string;
}

export interface ActionItem {
  id: string;
  incidentId: string;
  title: string;
  target: string | null;
  status: 'open' | 'done';
  createdBy: string;
  createdAt: string;
}

export interface IncidentDetail {
  incident: Incident;
  timeline: TimelineEntry[];
  audits: Audit[];
  actionItems: ActionItem[];
}

export interface IncidentPage {
  items: Incident[];
  nextCursor: string | null;
}

/** Operator actions and the route segment each one posts to (`note` posts to `/notes`). */
export const ACTIONS = {
  acknowledge: { route: 'acknowledge', label: 'Acknowledge', from: ['open'] },
  investigate: { route: 'investigate', label: 'Investigate (take ownership)', from: ['open', 'investigating'] },
  note: { route: 'notes', label: 'Add note', from: ['open', 'investigating', 'resolved'] },
  resolve: { route: 'resolve', label: 'Resolve', from: ['open', 'investigating'] },
  reopen: { route: 'reopen', label: 'Reopen', from: ['resolved'] },
  escalate: { route: 'escalate', label: 'Escalate', from: ['open', 'investigating'] },
  'suppress-escalation': { route: 'suppress-escalation', label: 'Suppress escalation', from: ['open', 'investigating'] },
} as const satisfies Record<string, { route: string; label: string; from: readonly IncidentState[] }>;
export type ActionName = keyof typeof ACTIONS;

/** Links out of the workbench (all optional; only http(s) URLs are ever rendered). */
export interface WorkbenchLinks {
  /** Grafana base URL, e.g. `https://grafana.example.com`: the slo's dashboard is `/d/<uid>`. */
  grafanaUrl?: string;
  /** Alertmanager base URL, e.g. `https://alertmanager.example.com`: a prefilled new silence. */
  alertmanagerUrl?: string;
  /** Trace URL template with `{traceId}`, e.g. `https://tempo.example.com/trace/{traceId}`. */
  traceUrl?: string;
}
