import type { IncidentDetail } from './types.js';

function duration(fromIso: string, toIso: string): string {
  const s = Math.max(0, Math.round((Date.parse(toIso) - Date.parse(fromIso)) / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h} h ${m} min` : m > 0 ? `${m} min ${s % 60} s` : `${s} s`;
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/**
 * A Markdown retrospective built from durable facts only: the incident row, its timeline, its
 * audits (who did what and why) and the deploys and flag changes correlated onto it. Nothing is
 * inferred or invented; absent facts are said to be absent.
 */
export function retrospectiveMarkdown(detail: IncidentDetail): string {
  const { incident: i, timeline, audits } = detail;
  const lines: string[] = [];
  lines.push(`# Retrospective: ${i.alertname}${i.slo ? ` (SLO ${i.slo})` : ''} — incident ${i.id}`, '');
  lines.push('## Summary', '');
  lines.push(`- State: **${i.state}**${i.severity ? `, severity ${i.severity}` : ''}`);
  lines.push(`- Opened: ${i.openedAt}`);
  if (i.acknowledgedAt) lines.push(`- Acknowledged: ${i.acknowledgedAt} by ${i.acknowledgedBy} (time to acknowledge ${duration(i.openedAt, i.acknowledgedAt)})`);
  else lines.push('- Acknowledged: never');
  if (i.resolvedAt) lines.push(`- Resolved: ${i.resolvedAt} (time to resolve ${duration(i.openedAt, i.resolvedAt)})`);
  if (i.assignee) lines.push(`- Assignee: ${i.assignee}`);
  if (i.runbookUrl) lines.push(`- Runbook: ${i.runbookUrl}`);
  if (i.escalation.step > 0) lines.push(`- Escalated to step ${i.escalation.step}`);
  lines.push('');
  const changes = timeline.filter((t) => t.type === 'deploy' || t.type === 'flag_change');
  lines.push('## Deploys and flag changes before it opened', '');
  if (changes.length === 0) lines.push('None recorded.');
  for (const c of changes) lines.push(`- ${c.at} — ${c.type === 'deploy' ? 'deploy' : 'flag change'}: ${c.summary}`);
  lines.push('');
  lines.push('## Alerts', '');
  for (const a of i.alerts) lines.push(`- \`${a.fingerprint}\` ${a.status}, fired ${a.startsAt}${a.endsAt ? `, resolved ${a.endsAt} (${duration(a.startsAt, a.endsAt)})` : ''}`);
  if (i.alerts.length === 0) lines.push('None recorded.');
  lines.push('');
  lines.push('## Timeline', '', '| Time (UTC) | Type | Actor | What |', '|---|---|---|---|');
  for (const t of timeline) lines.push(`| ${t.at} | ${t.type} | ${t.actor ?? 'system'} | ${cell(t.summary)} |`);
  lines.push('');
  lines.push('## Actions and their actors', '');
  if (audits.length === 0) lines.push('No operator actions.');
  for (const a of audits) lines.push(`- ${a.at} — **${a.action}** by ${a.actor.name} (${a.actor.id}, ${a.actor.role}), ${a.outcome}: ${a.rationale}`);
  lines.push('');
  return lines.join('\n');
}
