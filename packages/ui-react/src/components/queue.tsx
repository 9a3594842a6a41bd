import { useCallback, useEffect, useId, useRef, useState } from 'react';
import type { QueueQuery } from '../api.js';
import { duration, when } from '../format.js';
import type { Incident } from '../types.js';
import { SeverityBadge, StateBadge } from './badges.js';
import { useWorkbench } from './context.js';
import { Link } from './router.js';
import { ErrorNotice } from './notice.js';

export interface QueueProps {
  /** `active` (open + investigating, the default queue) or `resolved` (history). */
  view?: 'active' | 'resolved';
  /** Rows per page (1–200). */
  pageSize?: number;
}

/**
 * The incident queue: one keyset page at a time, in the API's order. It never reorders under the
 * operator: a background check of the API's change token (ETag / If-None-Match) only raises a
 * "new activity — refresh" banner.
 */
export function Queue({ view = 'active', pageSize = 50 }: QueueProps) {
  const { api, pollIntervalMs } = useWorkbench();
  const ids = useId();
  const [severity, setSeverity] = useState('');
  const [slo, setSlo] = useState('');
  const [stateFilter, setStateFilter] = useState<'active' | 'all'>('active');
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [items, setItems] = useState<Incident[] | null>(null);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [stale, setStale] = useState(false);
  const [loading, setLoading] = useState(false);
  const etagRef = useRef<string | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);

  const cursor = cursors[cursors.length - 1];
  const query: QueueQuery = { state: view === 'resolved' ? 'resolved' : stateFilter, severity: severity || undefined, slo: slo.trim() || undefined, cursor, limit: pageSize };
  const queryKey = JSON.stringify(query);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      const r = await api.listIncidents(JSON.parse(queryKey) as QueueQuery);
      if (r.changed) {
        setItems(r.page.items);
        setNextCursor(r.page.nextCursor);
        etagRef.current = r.etag;
      }
      setError(null);
      setStale(false);
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  }, [api, queryKey]);

  useEffect(() => {
    void load();
  }, [load]);

  // Background check: a 304 means nothing changed; a 200 means new activity (shown, not applied).
  useEffect(() => {
    if (pollIntervalMs <= 0) return;
    let stop = false;
    const timer = setInterval(() => {
      if (stop || !etagRef.current || (typeof document !== 'undefined' && document.visibilityState === 'hidden')) return;
      api.listIncidents(JSON.parse(queryKey) as QueueQuery, etagRef.current).then(
        (r) => {
          if (!stop && r.changed) setStale(true);
        },
        () => {},
      );
    }, pollIntervalMs);
    return () => {
      stop = true;
      clearInterval(timer);
    };
  }, [api, queryKey, pollIntervalMs]);

  const resetPaging = () => setCursors([undefined]);
  const title = view === 'resolved' ? 'Resolved incidents' : stateFilter === 'all' ? 'All incidents' : 'Active incidents';

  return (
    <section aria-labelledby={`${ids}-h`}>
      <h1 className="pw-h1" id={`${ids}-h`} ref={headingRef} tabIndex={-1}>
        {title}
      </h1>
      <form className="pw-filters" role="search" aria-label="Filter incidents" onSubmit={(e) => e.preventDefault()}>
        <div className="pw-field">
          <label htmlFor={`${ids}-sev`}>Severity</label>
          <select id={`${ids}-sev`} value={severity} onChange={(e) => (setSeverity(e.target.value), resetPaging())}>
            <option value="">Any severity</option>
            <option value="page">page</option>
            <option value="ticket">ticket</option>
            <option value="critical">critical</option>
            <option value="warning">warning</option>
          </select>
        </div>
        <div className="pw-field">
          <label htmlFor={`${ids}-slo`}>SLO</label>
          <input id={`${ids}-slo`} value={slo} placeholder="e.g. checkout" onChange={(e) => (setSlo(e.target.value), resetPaging())} />
        </div>
        {view === 'active' ? (
          <div className="pw-field">
            <label htmlFor={`${ids}-state`}>State</label>
            <select id={`${ids}-state`} value={stateFilter} onChange={(e) => (setStateFilter(e.target.value as 'active' | 'all'), resetPaging())}>
              <option value="active">Active (open and investigating)</option>
              <option value="all">All (including resolved)</option>
            </select>
          </div>
        ) : null}
      </form>
      <div aria-live="polite">
        {stale ? (
          <div className="pw-banner" data-testid="refresh-banner">
            <span>New activity since this list was loaded.</span>
            <button type="button" className="pw-primary" onClick={() => void load().then(() => headingRef.current?.focus())}>
              New activity — refresh
            </button>
          </div>
        ) : null}
      </div>
      <ErrorNotice error={error} />
      {items === null ? (
        <p aria-busy="true">Loading incidents…</p>
      ) : items.length === 0 ? (
        <p className="pw-section">{view === 'resolved' ? 'No resolved incidents.' : 'No incidents match. All quiet.'}</p>
      ) : (
        <ul className="pw-list" aria-label={title} data-testid="queue">
          {items.map((i) => (
            <li key={i.id} className="pw-row" data-incident-id={i.id}>
              <SeverityBadge severity={i.severity} />
              <div>
                <Link to={`/incidents/${encodeURIComponent(i.id)}`}>{i.alertname}</Link>
                <div className="pw-meta">
                  #{i.id}
                  {i.slo ? ` · slo ${i.slo}` : ''}
                  {i.assignee ? ` · owner ${i.assignee}` : ''}
                </div>
              </div>
              <div className="pw-meta">
                <StateBadge state={i.state} />{' '}
                <span title={when(i.openedAt)}>{i.state === 'resolved' && i.resolvedAt ? `resolved ${when(i.resolvedAt)}` : `open for ${duration(i.openedAt)}`}</span>
              </div>
            </li>
          ))}
        </ul>
      )}
      <nav className="pw-pager" aria-label="Pages">
        <button type="button" disabled={cursors.length <= 1 || loading} onClick={() => setCursors((c) => c.slice(0, -1))}>
          Newer
        </button>
        <span className="pw-meta">Page {cursors.length}</span>
        <button type="button" disabled={!nextCursor || loading} onClick={() => nextCursor && setCursors((c) => [...c, nextCursor])}>
          Older
        </button>
      </nav>
    </section>
  );
}
