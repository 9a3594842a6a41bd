import { severityInfo } from '../format.js';

/** Severity in words with a shape; colour only reinforces it. */
export function SeverityBadge({ severity }: { severity: string | null }) {
  const s = severityInfo(severity);
  return (
    <span className={`pw-badge pw-sev-${s.tone}`}>
      <span aria-hidden="true">{s.shape}</span>
      <span>
        <span className="pw-sr">severity </span>
        {s.label}
      </span>
    </span>
  );
}

export function StateBadge({ state }: { state: string }) {
  return (
    <span className="pw-badge pw-state">
      <span className="pw-sr">state </span>
      {state}
    </span>
  );
}
