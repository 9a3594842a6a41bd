/**
 * The shapes the workbench reads from the operator HTTP contract (docs/operator-api.md). They are
 * generated from `@parapet/evidence-pg/openapi.json` into `operator-api.gen.ts` (`npm run
 * api-types -w @parapet/ui-react`; a test fails when the file is stale), so the browser bundle
 * carries no server code and the workbench cannot drift from the API it calls.
 */
import type { components, paths } from './operator-api.gen.js';

type Schemas = components['schemas'];

export type Incident = Schemas['Incident'];
export type IncidentState = Incident['state'];
export type Escalation = Schemas['Escalation'];
export type IncidentAlert = Schemas['IncidentAlert'];
export type TimelineEntry = Schemas['TimelineEntry'];
export type Audit = Schemas['Audit'];
export type Actor = Audit['actor'];
export type ActionItem = Schemas['ActionItem'];
export type IncidentDetail = Schemas['IncidentDetail'];
/** One page of the incident queue (`GET /api/incidents`). */
export type IncidentPage = paths['/api/incidents']['get']['responses'][200]['content']['application/json'];

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
