import type { Incident, WorkbenchLinks } from './types.js';

/** The URL if it is absolute http(s), else undefined: `javascript:`, `data:` and relative junk never become links. */
export function safeHref(raw: unknown): string | undefined {
  if (typeof raw !== 'string' || raw.trim() === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return undefined;
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
}

const MAX_DASHBOARD_UID_LENGTH = 40;

async function sha256Hex(text: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * The Grafana dashboard uid of a slice, computed in the browser exactly like
 * `sliceDashboardUid` in `@parapet/core/slo` (which uses node:crypto); a unit test keeps the two equal.
 */
export async function browserSliceDashboardUid(slice: string): Promise<string> {
  const uid = `parapet-${slice.replace(/_/g, '-')}`;
  if (uid.length <= MAX_DASHBOARD_UID_LENGTH) return uid;
  return `${uid.slice(0, 31).replace(/-+$/, '')}-${(await sha256Hex(slice)).slice(0, 8)}`;
}

export interface ExternalLink {
  kind: 'runbook' | 'dashboard' | 'trace' | 'silence';
  label: string;
  href: string;
}

function join(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}${path}`;
}

/** Every external link for an incident that is configured and safe. */
export async function externalLinks(incident: Incident, links: WorkbenchLinks): Promise<ExternalLink[]> {
  const out: ExternalLink[] = [];
  const runbook = safeHref(incident.runbookUrl ?? incident.annotations.runbook_url);
  if (runbook) out.push({ kind: 'runbook', label: 'Runbook', href: runbook });
  const grafana = safeHref(links.grafanaUrl);
  if (grafana && incident.slo) {
    const uid = await browserSliceDashboardUid(incident.slo);
    const href = safeHref(join(grafana, `/d/${encodeURIComponent(uid)}`));
    if (href) out.push({ kind: 'dashboard', label: `Grafana dashboard for ${incident.slo}`, href });
  }
  if (incident.traceId && links.traceUrl) {
    const href = safeHref(links.traceUrl.replace('{traceId}', encodeURIComponent(incident.traceId)));
    if (href) out.push({ kind: 'trace', label: `Trace ${incident.traceId}`, href });
  }
  const am = safeHref(links.alertmanagerUrl);
  if (am) {
    const matchers = Object.entries(incident.labels)
      .filter(([k]) => k === 'alertname' || k === 'slo' || k === 'severity' || k === 'service')
      .map(([k, v]) => `${k}=${JSON.stringify(v)}`);
    const filter = encodeURIComponent(`{${matchers.join(',')}}`);
    const href = safeHref(join(am, `/#/silences/new?filter=${filter}`));
    if (href) out.push({ kind: 'silence', label: 'Silence in Alertmanager', href });
  }
  return out;
}
