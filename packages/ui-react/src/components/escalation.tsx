import { useEffect, useState } from 'react';
import { when } from '../format.js';
import type { Incident } from '../types.js';
import { useWorkbench } from './context.js';

/** `GET /incidents/:id/escalation`, added by @parapet/response (policy, derived state, notifications). */
export interface EscalationView {
  policy: { name: string; ackGraceMs: number; tiers: { index: number; targets: string[]; escalateAfterMs: number }[] } | null;
  state: { step: number; lastTier: number | null; nextTier: number | null; nextEscalationAt: string | null; suppressedUntil: string | null; stopped: boolean; stoppedReason: string | null };
  notifications: { id: string; channel: string; kind: string; state: string; attempts: number; createdAt: string; deliveredAt: string | null; lastError: string | null }[];
}

const minutes = (ms: number) => (ms >= 60_000 ? `${Math.round(ms / 60_000)} min` : `${Math.round(ms / 1000)} s`);

/**
 * The escalation chain and notification deliveries, when @parapet/response is installed
 * (feature-detected: a 404 renders nothing). A read-only projection of durable state.
 */
export function EscalationChain({ incident }: { incident: Incident }) {
  const { api } = useWorkbench();
  const [view, setView] = useState<EscalationView | null>(null);
  useEffect(() => {
    let live = true;
    void api
      .probe(`/incidents/${encodeURIComponent(incident.id)}/escalation`)
      .then(async (res) => {
        if (live && res.ok) setView((await res.json()) as EscalationView);
      })
      .catch(() => {});
    return () => {
      live = false;
    };
  }, [api, incident.id, incident.updatedAt]);
  if (!view || !view.policy) return null;
  const s = view.state;
  return (
    <div className="pw-mt" data-testid="escalation-chain">
      <h3 className="pw-kind">Escalation policy {view.policy.name}</h3>
      <ol className="pw-steps pw-mt">
        {view.policy.tiers.map((t) => (
          <li key={t.index}>
            {t.targets.join(', ')} <span className="pw-meta">(after {minutes(t.escalateAfterMs)} without acknowledgement)</span>
            {s.lastTier === t.index ? <strong> — notified</strong> : null}
            {s.nextTier === t.index && s.nextEscalationAt ? <strong> — next, at {when(s.nextEscalationAt)}</strong> : null}
          </li>
        ))}
      </ol>
      {s.stopped ? <p className="pw-meta">No further escalation: {s.stoppedReason ?? 'stopped'}.</p> : null}
      {view.notifications.length > 0 ? (
        <ul className="pw-list pw-mt" aria-label="Notification deliveries">
          {view.notifications.slice(0, 10).map((n) => (
            <li key={n.id} className="pw-meta">
              {n.channel} {n.kind}: {n.state}
              {n.attempts > 1 ? ` after ${n.attempts} attempts` : ''}
              {n.deliveredAt ? ` at ${when(n.deliveredAt)}` : ''}
              {n.lastError ? ` — last error: ${n.lastError}` : ''}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
