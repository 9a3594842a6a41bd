import { useCallback, useEffect, useId, useMemo, useRef, useState, type ReactNode } from 'react';
import { duration, when } from '../format.js';
import { externalLinks, safeHref, type ExternalLink } from '../links.js';
import type { Incident, IncidentDetail as Detail, TimelineEntry } from '../types.js';
import { SeverityBadge, StateBadge } from './badges.js';
import { useWorkbench } from './context.js';
import { Controls } from './controls.js';
import { EscalationChain } from './escalation.js';
import { ErrorNotice } from './notice.js';
import { Link } from './router.js';
import { RunbookPanel } from './runbook.js';

const OPERATOR_TYPES = new Set(['acknowledged', 'note', 'operator_action']);

/** Deploys and flag changes this long before (or after) the incident opened are suspects. */
const SUSPECT_WINDOW_MS = 30 * 60_000;

const TYPE_LABELS: Record<string, string> = {
  alert_fired: 'Alert fired',
  alert_refired: 'Alert re-fired',
  alert_resolved: 'Alert resolved',
  acknowledged: 'Acknowledged',
  note: 'Note',
  operator_action: 'Operator action',
  system_action: 'System action',
  notification: 'Notification',
  deploy: 'Deploy',
  flag_change: 'Flag change',
  triage_snapshot: 'Triage snapshot',
  truncated_alerts: 'Alerts truncated',
};

function Section({ title, children, testId }: { title: string; children: ReactNode; testId: string }) {
  const id = useId();
  return (
    <section className="pw-section" aria-labelledby={id} data-testid={testId}>
      <h2 className="pw-h2" id={id}>
        {title}
      </h2>
      {children}
    </section>
  );
}

/** Pulls a number-ish annotation or label (burn rate, budget) when the alert carries one. */
function figure(incident: Incident, names: string[]): string | undefined {
  for (const n of names) {
    const v = incident.annotations[n] ?? incident.labels[n];
    if (v !== undefined && v !== '') return v;
  }
  return undefined;
}

/** Current truth first: state, severity, slo, how long, burn and budget, escalation, suppression. */
export function IncidentSummary({ incident, actorNames }: { incident: Incident; actorNames?: ReadonlyMap<string, string> }) {
  const who = (id: string | null) => (id ? (actorNames?.get(id) ?? id) : 'unknown');
  const e = incident.escalation;
  const suppressed = e.suppressedUntil && Date.parse(e.suppressedUntil) > Date.now();
  const burn = figure(incident, ['burn_rate', 'burnRate', 'current_burn_rate']);
  const budget = figure(incident, ['error_budget_remaining', 'budget_remaining', 'errorBudgetRemaining']);
  const summary = incident.annotations.summary ?? incident.annotations.description;
  const escalationText = incident.state === 'resolved'
    ? 'ended (resolved)'
    : e.stopped
      ? `stopped at step ${e.step} (acknowledged${incident.acknowledgedBy ? ` by ${who(incident.acknowledgedBy)}` : ''})`
      : suppressed
        ? `step ${e.step}; suppressed`
        : e.nextAt
          ? `step ${e.step}; next step ${e.step + 1} at ${when(e.nextAt)} (in ${duration(new Date().toISOString(), Date.parse(e.nextAt))})`
          : `step ${e.step}; no further step scheduled`;
  return (
    <Section title="Summary" testId="summary">
      {summary ? <p className="pw-summary-text" data-testid="alert-summary">{summary}</p> : null}
      <dl className="pw-dl">
        <dt>State</dt>
        <dd>
          <StateBadge state={incident.state} />
        </dd>
        <dt>Severity</dt>
        <dd>
          <SeverityBadge severity={incident.severity} />
        </dd>
        <dt>SLO</dt>
        <dd>{incident.slo ?? '—'}</dd>
        <dt>How long</dt>
        <dd>
          {incident.resolvedAt ? `${duration(incident.openedAt, Date.parse(incident.resolvedAt))} (resolved ${when(incident.resolvedAt)})` : `open for ${duration(incident.openedAt)}`} · opened {when(incident.openedAt)}
        </dd>
        <dt>Burn rate</dt>
        <dd>{burn ?? 'not reported by the alert'}</dd>
        <dt>Error budget left</dt>
        <dd>{budget ?? 'not reported by the alert'}</dd>
        <dt>Owner</dt>
        <dd>{incident.assignee ? who(incident.assignee) : 'nobody yet'}</dd>
        <dt>Acknowledged</dt>
        <dd>{incident.acknowledgedAt ? `${when(incident.acknowledgedAt)} by ${who(incident.acknowledgedBy)}` : 'not yet'}</dd>
        <dt>Escalation</dt>
        <dd data-testid="escalation">{escalationText}</dd>
        <dt>Suppression</dt>
        <dd>{suppressed ? `escalation suppressed until ${when(e.suppressedUntil)}` : 'none'}</dd>
        {incident.triageSummary ? (
          <>
            <dt>Triage</dt>
            <dd className="pw-summary-text">{incident.triageSummary}</dd>
          </>
        ) : null}
      </dl>
      <EscalationChain incident={incident} />
      {Object.keys(incident.labels).length > 0 ? (
        <>
          <h3 className="pw-sr">Labels</h3>
          <ul className="pw-kv pw-mt" aria-label="Alert labels">
            {Object.entries(incident.labels).map(([k, v]) => (
              <li key={k}>
                {k}={v}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </Section>
  );
}

function isSuspect(entry: TimelineEntry, incident: Incident): boolean {
  if (entry.type !== 'deploy' && entry.type !== 'flag_change') return false;
  return Math.abs(Date.parse(entry.at) - Date.parse(incident.openedAt)) <= SUSPECT_WINDOW_MS;
}

/** The canonical chronology, typed: operator actions and system entries look different. */
/** Actor ids → the names `authorize` returned, from the audit rows (the only place names live). */
export function actorNamesOf(detail: Detail): Map<string, string> {
  const m = new Map<string, string>();
  for (const a of detail.audits) m.set(a.actor.id, a.actor.name || a.actor.id);
  return m;
}

export function Timeline({ detail }: { detail: Detail }) {
  const names = useMemo(() => actorNamesOf(detail), [detail]);
  return (
    <Section title="Timeline" testId="timeline">
      <ol className="pw-timeline" aria-label="Incident timeline, oldest first">
        {detail.timeline.map((t) => {
          // Operator entries: what a person did through the API (audited, actor from authorize).
          // Deploys and flag changes are external evidence; everything else is the system.
          const operator = t.actor !== null && (OPERATOR_TYPES.has(t.type) || names.has(t.actor));
          const change = t.type === 'deploy' || t.type === 'flag_change';
          const suspect = isSuspect(t, detail.incident);
          const rationale = typeof t.data.rationale === 'string' ? t.data.rationale : undefined;
          const link = safeHref(t.data.url);
          return (
            <li
              key={t.id}
              className={`pw-entry ${operator ? 'pw-entry-operator' : change ? 'pw-entry-change' : 'pw-entry-system'} ${suspect ? 'pw-entry-suspect' : ''}`}
              data-type={t.type}
              data-actor-kind={operator ? 'operator' : change ? 'change' : 'system'}
            >
              <div className="pw-entry-head">
                <span className="pw-kind">{TYPE_LABELS[t.type] ?? t.type}</span>
                {suspect ? <span className="pw-badge pw-suspect">⚑ suspect: changed near the start</span> : null}
                <span className={operator ? 'pw-who-operator' : 'pw-who-system'} data-testid="entry-actor">
                  {operator ? `by ${names.get(t.actor!) ?? t.actor} (operator)` : change ? (t.actor === 'deploy-token' ? 'change, from CI (deploy token)' : t.actor ? `change, by ${t.actor}` : 'change') : 'system'}
                </span>
                <time className="pw-meta" dateTime={t.at}>
                  {when(t.at)}
                </time>
              </div>
              <p className="pw-summary-text">{t.summary}</p>
              {rationale && rationale !== t.summary ? <p className="pw-meta pw-summary-text">Rationale: {rationale}</p> : null}
              {link ? (
                <p>
                  <a href={link} target="_blank" rel="noopener noreferrer">
                    Details
                  </a>
                </p>
              ) : null}
            </li>
          );
        })}
      </ol>
    </Section>
  );
}

/** Focused links out: runbook, Grafana dashboard, trace, a prefilled Alertmanager silence. */
export function ExternalLinks({ incident }: { incident: Incident }) {
  const { links } = useWorkbench();
  const [items, setItems] = useState<ExternalLink[]>([]);
  useEffect(() => {
    let live = true;
    void externalLinks(incident, links).then((l) => live && setItems(l));
    return () => {
      live = false;
    };
  }, [incident, links]);
  return (
    <Section title="Links" testId="links">
      {items.length === 0 ? (
        <p className="pw-meta">No links configured for this incident.</p>
      ) : (
        <ul className="pw-links">
          {items.map((l) => (
            <li key={l.kind}>
              <a href={l.href} target="_blank" rel="noopener noreferrer" data-kind={l.kind}>
                {l.label}
                <span className="pw-sr"> (opens in a new tab)</span>
              </a>
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}

export function ActionItems({ detail, onChanged }: { detail: Detail; onChanged: () => void }) {
  const { api } = useWorkbench();
  const ids = useId();
  const [title, setTitle] = useState('');
  const [target, setTarget] = useState('');
  const [rationale, setRationale] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    setBusy(true);
    try {
      await api.post(`/incidents/${encodeURIComponent(detail.incident.id)}/action-items`, { title, ...(target.trim() ? { target: target.trim() } : {}), rationale });
      setTitle('');
      setTarget('');
      setRationale('');
      setError(null);
      onChanged();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Section title="Action items" testId="action-items">
      {detail.actionItems.length === 0 ? (
        <p className="pw-meta">No action items.</p>
      ) : (
        <ul className="pw-list">
          {detail.actionItems.map((a) => {
            const href = safeHref(a.target);
            return (
              <li key={a.id}>
                <span className="pw-badge pw-state">{a.status}</span> {a.title}
                {a.target ? (
                  <>
                    {' — '}
                    {href ? (
                      <a href={href} target="_blank" rel="noopener noreferrer">
                        {a.target}
                      </a>
                    ) : (
                      <span>{a.target}</span>
                    )}
                  </>
                ) : null}
                <span className="pw-meta"> (by {a.createdBy})</span>
              </li>
            );
          })}
        </ul>
      )}
      <details className="pw-mt">
        <summary>Add an action item</summary>
        <form
          className="pw-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (!busy) void submit();
          }}
        >
          <div className="pw-field">
            <label htmlFor={`${ids}-t`}>Title</label>
            <input id={`${ids}-t`} required value={title} onChange={(e) => setTitle(e.target.value)} />
          </div>
          <div className="pw-field">
            <label htmlFor={`${ids}-o`}>Target (ticket, dashboard or runbook URL; optional)</label>
            <input id={`${ids}-o`} value={target} onChange={(e) => setTarget(e.target.value)} />
          </div>
          <div className="pw-field">
            <label htmlFor={`${ids}-r`}>Rationale (why — kept in the audit trail)</label>
            <textarea id={`${ids}-r`} required value={rationale} onChange={(e) => setRationale(e.target.value)} />
          </div>
          <ErrorNotice error={error} />
          <div className="pw-form-actions">
            <button type="submit" className="pw-primary" disabled={busy}>
              Add action item
            </button>
          </div>
        </form>
      </details>
    </Section>
  );
}

/** The incident page: summary → timeline → links → action items → runbooks → controls. */
export function IncidentDetail({ id }: { id: string }) {
  const { api } = useWorkbench();
  const [detail, setDetail] = useState<Detail | null>(null);
  const [error, setError] = useState<unknown>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const load = useCallback(async () => {
    try {
      setDetail(await api.getIncident(id));
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, [api, id]);
  useEffect(() => {
    setDetail(null);
    void load().then(() => headingRef.current?.focus());
  }, [load]);
  return (
    <article aria-labelledby="pw-incident-title">
      <p>
        <Link to="/">← Back to the queue</Link>
      </p>
      <h1 className="pw-h1" id="pw-incident-title" ref={headingRef} tabIndex={-1}>
        {detail ? `#${detail.incident.id} ${detail.incident.alertname}` : `Incident #${id}`}
      </h1>
      <ErrorNotice error={error} />
      {detail ? (
        <>
          <IncidentSummary incident={detail.incident} actorNames={actorNamesOf(detail)} />
          <Timeline detail={detail} />
          <ExternalLinks incident={detail.incident} />
          <ActionItems detail={detail} onChanged={() => void load()} />
          <RunbookPanel incident={detail.incident} onChanged={() => void load()} />
          <Controls incident={detail.incident} onChanged={() => void load()} />
        </>
      ) : error ? null : (
        <p aria-busy="true">Loading incident…</p>
      )}
    </article>
  );
}
