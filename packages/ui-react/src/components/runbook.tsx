import { useCallback, useEffect, useId, useState } from 'react';
import { ApiError } from '../api.js';
import { when } from '../format.js';
import type { Incident } from '../types.js';
import { useWorkbench } from './context.js';
import { ErrorNotice } from './notice.js';

/**
 * The shapes of the routes @parapet/response adds to the operator API (GET
 * `/incidents/:id/runbooks`, POST `…/runbooks/:runbook/steps/:step/preview`,
 * POST `/incidents/:id/previews/:preview/confirm` and `/cancel`).
 */
export interface RunbookStepView {
  id: string;
  index: number;
  title: string;
  guidance?: string | null;
  kind: 'capability' | 'guidance';
  capability: { name: string; registered: boolean } | null;
  automatic: { severities: string[] | null; slos: string[] | null } | null;
  status: string;
  activePreview: { id: string; actor: string; expiresAt: string } | null;
  lastExecution: { id: string; status: string; actor: string; automatic: boolean; startedAt: string; finishedAt: string | null; report: { summary?: string } | null } | null;
}
export interface RunbookView {
  id: string;
  title: string;
  description: string;
  automation: { enabled: boolean; breaker: { open: boolean; executions: number; limit: number; windowMs: number } };
  steps: RunbookStepView[];
}
export interface PreviewView {
  id: string;
  runbook: string;
  step: string;
  capability: string;
  effect: { summary: string; data?: Record<string, unknown> };
  warnings: string[];
  state: string;
  expiresAt: string;
}

function Step({ incident, runbook, step, onChanged }: { incident: Incident; runbook: RunbookView; step: RunbookStepView; onChanged: () => void }) {
  const { api } = useWorkbench();
  const ids = useId();
  const [preview, setPreview] = useState<PreviewView | null>(null);
  const [rationale, setRationale] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<string | null>(null);
  const base = `/incidents/${encodeURIComponent(incident.id)}`;
  const canAct = step.kind === 'capability' && step.capability?.registered && incident.state !== 'resolved';

  const run = async (fn: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const doPreview = () =>
    run(async () => {
      const r = await api.post<{ preview: PreviewView }>(`${base}/runbooks/${encodeURIComponent(runbook.id)}/steps/${encodeURIComponent(step.id)}/preview`, { input: {} });
      setPreview(r.body.preview);
      setResult(null);
    });
  const doConfirm = () =>
    run(async () => {
      try {
        const r = await api.post<{ execution: { status: string; report: { summary?: string } | null } }>(`${base}/previews/${encodeURIComponent(preview!.id)}/confirm`, { rationale });
        setResult(`${step.title}: ${r.body.execution.status}${r.body.execution.report?.summary ? ` — ${r.body.execution.report.summary}` : ''}`);
      } catch (e) {
        // A second click on the same preview: the server ran it once and says so.
        if (!(e instanceof ApiError && e.details?.reason === 'already_confirmed')) {
          // Expired (410), cancelled, someone else's, or the incident resolved: this preview is
          // spent; offer a new one and keep the API's message on screen.
          if (e instanceof ApiError && (e.status === 410 || e.status === 404 || ['cancelled', 'other_actor', 'incident_resolved'].includes(String(e.details?.reason)))) setPreview(null);
          throw e;
        }
        setResult(`${step.title}: already confirmed; it ran once.`);
      }
      setPreview(null);
      setRationale('');
      onChanged();
    });
  const doCancel = () =>
    run(async () => {
      await api.post(`${base}/previews/${encodeURIComponent(preview!.id)}/cancel`, {});
      setPreview(null);
    });

  return (
    <li data-step={step.id}>
      <div className="pw-entry-head">
        <span className="pw-kind">{step.title}</span>
        <span className="pw-badge pw-state">{step.status}</span>
        {step.automatic ? <span className="pw-badge pw-sev-other">automatic</span> : null}
      </div>
      {step.guidance ? <p className="pw-summary-text">{step.guidance}</p> : null}
      {step.capability && !step.capability.registered ? <p className="pw-meta">Capability {step.capability.name} is not registered in this app; nothing to run here.</p> : null}
      {step.lastExecution ? (
        <p className="pw-meta">
          Last run: {step.lastExecution.status} {step.lastExecution.automatic ? '(automatic)' : `by ${step.lastExecution.actor}`} at {when(step.lastExecution.startedAt)}
          {step.lastExecution.report?.summary ? ` — ${step.lastExecution.report.summary}` : ''}
        </p>
      ) : null}
      {step.activePreview && !preview ? (
        <p className="pw-meta">You have a pending preview of this step (expires {when(step.activePreview.expiresAt)}); preview again to see the effect before confirming.</p>
      ) : null}
      {canAct && !preview ? (
        <button type="button" disabled={busy} onClick={() => void doPreview()}>
          Preview “{step.title}”
        </button>
      ) : null}
      {preview ? (
        <form
          className="pw-form"
          aria-label={`Confirm ${step.title}`}
          data-testid={`confirm-${step.id}`}
          onSubmit={(e) => {
            e.preventDefault();
            if (!busy) void doConfirm();
          }}
        >
          <p>
            <strong>This would:</strong> <span className="pw-summary-text">{preview.effect.summary}</span>
          </p>
          {preview.effect.data && Object.keys(preview.effect.data).length > 0 ? <pre className="pw-pre">{JSON.stringify(preview.effect.data, null, 2)}</pre> : null}
          {preview.warnings.length > 0 ? (
            <ul className="pw-error" aria-label="Warnings">
              {preview.warnings.map((w, i) => (
                <li key={i}>{w}</li>
              ))}
            </ul>
          ) : null}
          <p className="pw-meta">Preview expires {when(preview.expiresAt)}.</p>
          <div className="pw-field">
            <label htmlFor={`${ids}-r`}>Rationale (required — kept in the audit trail)</label>
            <textarea id={`${ids}-r`} required value={rationale} onChange={(e) => setRationale(e.target.value)} />
          </div>
          <div className="pw-form-actions">
            <button type="submit" className="pw-danger" disabled={busy}>
              Confirm and run
            </button>
            <button type="button" disabled={busy} onClick={() => void doCancel()}>
              Cancel preview
            </button>
          </div>
        </form>
      ) : null}
      <ErrorNotice error={error} />
      <div aria-live="polite">{result ? <div className="pw-ok">{result}</div> : null}</div>
    </li>
  );
}

/**
 * Runbook steps with preview → confirm, from @parapet/response. Feature-detected: when
 * `GET /incidents/:id/runbooks` answers 404 the package is not installed and nothing renders.
 */
function AutomationToggle({ runbook, onChanged }: { runbook: RunbookView; onChanged: () => void }) {
  const { api } = useWorkbench();
  const ids = useId();
  const [open, setOpen] = useState(false);
  const [rationale, setRationale] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  if (!runbook.steps.some((s) => s.automatic)) return null;
  const next = !runbook.automation.enabled;
  const label = next ? 'Enable automatic steps' : 'Disable automatic steps';
  return (
    <div className="pw-mt">
      <button type="button" aria-expanded={open} onClick={() => setOpen(!open)}>
        {label}
      </button>
      {open ? (
        <form
          className="pw-form pw-mt"
          aria-label={`${label} of ${runbook.title}`}
          onSubmit={(e) => {
            e.preventDefault();
            if (busy) return;
            setBusy(true);
            api
              .post(`/runbooks/${encodeURIComponent(runbook.id)}/automation`, { enabled: next, rationale })
              .then(
                () => {
                  setOpen(false);
                  setRationale('');
                  setError(null);
                  onChanged();
                },
                (err: unknown) => setError(err),
              )
              .finally(() => setBusy(false));
          }}
        >
          <p className="pw-meta">Applies to this runbook everywhere, not only this incident.</p>
          <div className="pw-field">
            <label htmlFor={`${ids}-r`}>Rationale (required — kept in the audit trail)</label>
            <textarea id={`${ids}-r`} required value={rationale} onChange={(e) => setRationale(e.target.value)} />
          </div>
          <ErrorNotice error={error} />
          <div className="pw-form-actions">
            <button type="submit" className="pw-primary" disabled={busy}>
              {label}
            </button>
          </div>
        </form>
      ) : null}
    </div>
  );
}

export function RunbookPanel({ incident, onChanged }: { incident: Incident; onChanged: () => void }) {
  const { api } = useWorkbench();
  const ids = useId();
  const [state, setState] = useState<{ installed: false } | { installed: true; runbooks: RunbookView[] } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(async () => {
    try {
      const res = await api.probe(`/incidents/${encodeURIComponent(incident.id)}/runbooks`);
      if (res.status === 404 || res.status === 405) return setState({ installed: false });
      if (!res.ok) {
        const body = (await res.json().catch(() => ({}))) as { error?: { code?: string; message?: string } };
        throw new ApiError(res.status, body.error?.code ?? `HTTP_${res.status}`, body.error?.message ?? `runbooks answered ${res.status}`);
      }
      const body = (await res.json()) as { runbooks: RunbookView[] };
      setState({ installed: true, runbooks: body.runbooks });
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, [api, incident.id]);
  useEffect(() => {
    void load();
  }, [load, incident.updatedAt]);

  if (!state || !state.installed) return error ? <ErrorNotice error={error} /> : null;
  return (
    <section className="pw-section" aria-labelledby={`${ids}-h`} data-testid="runbooks">
      <h2 className="pw-h2" id={`${ids}-h`}>
        Runbook steps
      </h2>
      <ErrorNotice error={error} />
      {state.runbooks.length === 0 ? <p className="pw-meta">No runbook matches this incident.</p> : null}
      {state.runbooks.map((rb) => (
        <div key={rb.id} className="pw-mt">
          <h3 className="pw-kind">{rb.title}</h3>
          {rb.description ? <p className="pw-summary-text">{rb.description}</p> : null}
          <p className="pw-meta">
            Automation {rb.automation.enabled ? 'on' : 'off'}
            {rb.automation.breaker.open ? ` · breaker open (${rb.automation.breaker.executions}/${rb.automation.breaker.limit} automatic runs): automatic steps paused` : ''}
          </p>
          <AutomationToggle runbook={rb} onChanged={() => void load()} />
          <ol className="pw-steps pw-mt">
            {rb.steps.map((s) => (
              <Step
                key={s.id}
                incident={incident}
                runbook={rb}
                step={s}
                onChanged={() => {
                  void load();
                  onChanged();
                }}
              />
            ))}
          </ol>
        </div>
      ))}
    </section>
  );
}
