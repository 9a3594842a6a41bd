import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import { OperatorApi } from '../api.js';
import { WORKBENCH_CSS } from '../styles.js';
import type { WorkbenchLinks } from '../types.js';
import { WorkbenchContext } from './context.js';
import { IncidentDetail } from './detail.js';
import { Queue } from './queue.js';
import { Link, WorkbenchRouter, useRouter } from './router.js';

export interface WorkbenchProps {
  /** Where the operator API is mounted, e.g. `/parapet/api`. */
  apiBase: string;
  /** Where the workbench's own pages live (path-based routes below it). Default `/parapet`. */
  basePath?: string;
  /** External links: Grafana, Alertmanager, trace viewer. */
  links?: WorkbenchLinks;
  /** How often the queue checks for new activity (ms; 0 = never). Default 10 000. */
  pollIntervalMs?: number;
  /** Keep routes in memory instead of the address bar (the host owns the URL). */
  memoryRouting?: boolean;
  /** Render into a shadow root so host styles and the workbench's styles never meet. Default true. */
  isolate?: boolean;
  /** Title in the header. Default "Parapet". */
  title?: string;
}

let sheet: CSSStyleSheet | undefined;
function workbenchSheet(): CSSStyleSheet | undefined {
  if (typeof CSSStyleSheet === 'undefined' || !('replaceSync' in CSSStyleSheet.prototype)) return undefined;
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(WORKBENCH_CSS);
  }
  return sheet;
}

/** Renders children inside an open shadow root with the workbench stylesheet adopted. */
export function IsolatedRoot({ children, isolate = true }: { children: ReactNode; isolate?: boolean }) {
  const hostRef = useRef<HTMLDivElement>(null);
  const [target, setTarget] = useState<HTMLElement | null>(null);
  useEffect(() => {
    const host = hostRef.current;
    if (!host || !isolate) return;
    const root = host.shadowRoot ?? host.attachShadow({ mode: 'open' });
    const s = workbenchSheet();
    if (s) root.adoptedStyleSheets = [s];
    let mount = root.querySelector<HTMLElement>('[data-pw-mount]');
    if (!mount) {
      mount = document.createElement('div');
      mount.setAttribute('data-pw-mount', '');
      root.appendChild(mount);
    }
    setTarget(mount);
  }, [isolate]);
  useEffect(() => {
    if (isolate) return;
    const s = workbenchSheet();
    if (s && !document.adoptedStyleSheets.includes(s)) document.adoptedStyleSheets = [...document.adoptedStyleSheets, s];
  }, [isolate]);
  if (!isolate) return <>{children}</>;
  return (
    <div ref={hostRef} data-parapet-workbench="">
      {target ? createPortal(children, target) : null}
    </div>
  );
}

function Shell({ title }: { title: string }) {
  const { route } = useRouter();
  return (
    <div className="pw-root">
      <header className="pw-header">
        <span className="pw-brand">{title} · incidents</span>
        <nav className="pw-nav" aria-label="Workbench">
          <Link to="/" current={route.name === 'queue'}>
            Active
          </Link>
          <Link to="/resolved" current={route.name === 'resolved'}>
            Resolved history
          </Link>
        </nav>
      </header>
      <main className="pw-main">
        {route.name === 'queue' ? (
          <Queue key="active" view="active" />
        ) : route.name === 'resolved' ? (
          <Queue key="resolved" view="resolved" />
        ) : route.name === 'incident' ? (
          <IncidentDetail id={route.id} />
        ) : (
          <section>
            <h1 className="pw-h1">Page not found</h1>
            <p>
              Nothing lives at <code>{route.path}</code>. <Link to="/">Go to the queue</Link>.
            </p>
          </section>
        )}
      </main>
    </div>
  );
}

/**
 * The operator workbench: queue, resolved history and incident pages over the operator API.
 * It talks only to `apiBase` (docs/operator-api.md) and renders inside a shadow root.
 */
export function Workbench({ apiBase, basePath = '/parapet', links, pollIntervalMs = 10_000, memoryRouting, isolate = true, title = 'Parapet' }: WorkbenchProps) {
  const linksKey = JSON.stringify(links ?? {});
  const config = useMemo(() => ({ api: new OperatorApi(apiBase), links: JSON.parse(linksKey) as WorkbenchLinks, pollIntervalMs }), [apiBase, linksKey, pollIntervalMs]);
  return (
    <WorkbenchContext.Provider value={config}>
      <WorkbenchRouter basePath={basePath} memory={memoryRouting}>
        <IsolatedRoot isolate={isolate}>
          <Shell title={title} />
        </IsolatedRoot>
      </WorkbenchRouter>
    </WorkbenchContext.Provider>
  );
}

/** Context for hosts that compose the pieces (Queue, IncidentDetail, …) themselves. */
export function WorkbenchProvider({ apiBase, links, pollIntervalMs = 10_000, basePath = '/parapet', memoryRouting, children }: Omit<WorkbenchProps, 'isolate' | 'title'> & { children: ReactNode }) {
  const linksKey = JSON.stringify(links ?? {});
  const config = useMemo(() => ({ api: new OperatorApi(apiBase), links: JSON.parse(linksKey) as WorkbenchLinks, pollIntervalMs }), [apiBase, linksKey, pollIntervalMs]);
  return (
    <WorkbenchContext.Provider value={config}>
      <WorkbenchRouter basePath={basePath} memory={memoryRouting}>
        {children}
      </WorkbenchRouter>
    </WorkbenchContext.Provider>
  );
}
