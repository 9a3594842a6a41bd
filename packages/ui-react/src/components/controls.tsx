import { useEffect, useId, useRef, useState } from 'react';
import { ApiError, newIntentKey } from '../api.js';
import { ACTIONS, type ActionName, type Incident } from '../types.js';
import { useWorkbench } from './context.js';
import { ErrorNotice } from './notice.js';

const HINTS: Record<ActionName, string> = {
  acknowledge: 'You are looking at it: stops escalation and moves the incident to investigating.',
  investigate: 'Take ownership (or name an owner).',
  note: 'Add a note to the timeline. The rationale is the note.',
  resolve: 'The impact is over.',
  reopen: 'The impact is back.',
  escalate: 'Page the next escalation step now.',
  'suppress-escalation': 'Hold automatic escalation until a time you choose.',
};

/** One operator intent: the form, its rationale, and its idempotency key (kept for retries). */
function ActionForm({ incident, action, onDone, onCancel }: { incident: Incident; action: ActionName; onDone: (message: string) => void; onCancel: () => void }) {
  const { api } = useWorkbench();
  const ids = useId();
  const [rationale, setRationale] = useState('');
  const [assignee, setAssignee] = useState('');
  const [until, setUntil] = useState(() => new Date(Date.now() + 60 * 60_000).toISOString().slice(0, 16));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  // One key per intent: a double click or a retry after a network failure reuses it, so the
  // server acts once. A definitive answer (success or an API error) ends the intent.
  const keyRef = useRef<string>(newIntentKey());
  const spec = ACTIONS[action];

  const submit = async () => {
    setBusy(true);
    const body: Record<string, string> = { rationale };
    if (action === 'investigate' && assignee.trim()) body.assignee = assignee.trim();
    if (action === 'suppress-escalation') body.until = new Date(until).toISOString();
    try {
      const r = await api.post(`/incidents/${encodeURIComponent(incident.id)}/${spec.route}`, body, keyRef.current);
      keyRef.current = newIntentKey();
      onDone(r.replayed ? `${spec.label}: already done (the earlier request was applied once).` : `${spec.label}: done.`);
    } catch (e) {
      if (e instanceof ApiError && e.status !== 503) keyRef.current = newIntentKey();
      setError(e);
      setBusy(false);
    }
  };

  return (
    <form
      className="pw-form"
      aria-label={`${spec.label} incident ${incident.id}`}
      data-testid={`form-${action}`}
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <p className="pw-meta">{HINTS[action]}</p>
      <div className="pw-field">
        <label htmlFor={`${ids}-r`}>{action === 'note' ? 'Note' : 'Rationale'} (required — kept in the audit trail)</label>
        <textarea id={`${ids}-r`} name="rationale" required autoFocus value={rationale} onChange={(e) => setRationale(e.target.value)} />
      </div>
      {action === 'investigate' ? (
        <div className="pw-field">
          <label htmlFor={`${ids}-a`}>Owner (optional; default: you)</label>
          <input id={`${ids}-a`} value={assignee} onChange={(e) => setAssignee(e.target.value)} />
        </div>
      ) : null}
      {action === 'suppress-escalation' ? (
        <div className="pw-field">
          <label htmlFor={`${ids}-u`}>Suppress until (your local time)</label>
          <input id={`${ids}-u`} type="datetime-local" required value={until} onChange={(e) => setUntil(e.target.value)} />
        </div>
      ) : null}
      <ErrorNotice error={error} />
      <div className="pw-form-actions">
        <button type="submit" className={action === 'resolve' || action === 'escalate' ? 'pw-danger' : 'pw-primary'} disabled={busy}>
          {busy ? 'Sending…' : `${spec.label} now`}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** The bounded controls, offered for the incident's current state, each asking for a rationale. */
export function Controls({ incident, onChanged }: { incident: Incident; onChanged: () => void }) {
  const ids = useId();
  const [open, setOpen] = useState<ActionName | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const doneRef = useRef<HTMLDivElement>(null);
  // The form is gone after an action: keep keyboard focus on its result, not on <body>.
  useEffect(() => {
    if (done) doneRef.current?.focus();
  }, [done]);
  const available = (Object.keys(ACTIONS) as ActionName[]).filter((a) => (ACTIONS[a].from as readonly string[]).includes(incident.state));
  return (
    <section className="pw-section" aria-labelledby={`${ids}-h`} data-testid="controls">
      <h2 className="pw-h2" id={`${ids}-h`}>
        Actions
      </h2>
      <div className="pw-controls" role="group" aria-label="Incident actions">
        {available.map((a) => (
          <button key={a} type="button" aria-expanded={open === a} onClick={() => (setOpen(open === a ? null : a), setDone(null))}>
            {ACTIONS[a].label}
          </button>
        ))}
      </div>
      <div aria-live="polite">
        {done ? (
          <div className="pw-ok" ref={doneRef} tabIndex={-1}>
            {done}
          </div>
        ) : null}
      </div>
      {open ? (
        <ActionForm
          key={`${open}-${incident.id}`}
          incident={incident}
          action={open}
          onCancel={() => setOpen(null)}
          onDone={(m) => {
            setOpen(null);
            setDone(m);
            onChanged();
          }}
        />
      ) : null}
    </section>
  );
}
