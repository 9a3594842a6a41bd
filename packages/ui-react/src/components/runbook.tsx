import type { Incident } from '../types.js';

/** Runbook steps (preview → confirm) from @parapet/response; shown only when its routes exist. */
export function RunbookPanel(_props: { incident: Incident; onChanged: () => void }) {
  return null;
}
