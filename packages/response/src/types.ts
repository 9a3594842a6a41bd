import type { Actor, Incident } from '@parapet/evidence-pg';

/** What a capability's preview says it would do. Parapet stores it as-is under `effect`. */
export interface CapabilityEffect {
  /** One line an operator reads before confirming ("requeue 41 messages from checkout.dlq"). */
  summary: string;
  /** Structured detail (counts, ids) shown in the workbench. */
  data?: Record<string, unknown>;
}

/** What an execution reports back. */
export interface CapabilityReport {
  summary: string;
  data?: Record<string, unknown>;
}

export interface CapabilityContext {
  incident: Incident;
  runbook: string;
  step: string;
  /** Operator input from the preview request (`{}` for automatic runs). */
  input: Record<string, unknown>;
  /** Who asked: the operator, or `{ id: 'system', ... }` for automatic steps. */
  actor: Actor;
}

/**
 * A named action the host can take (requeue dead letters, pause a worker, fail over a provider).
 * Parapet calls validate → preview → (operator confirms) → execute → report.
 */
export interface Capability {
  name: string;
  /** Preconditions. Return a message (or throw) to refuse; return nothing to allow. */
  validate?: (ctx: CapabilityContext) => string | undefined | void | Promise<string | undefined | void>;
  /** The exact effect, with warnings. Must not change anything. */
  preview: (ctx: CapabilityContext) => Promise<{ effect: CapabilityEffect; warnings?: string[] }> | { effect: CapabilityEffect; warnings?: string[] };
  /**
   * Does it. Must be idempotent per `idempotencyKey`: after a crash Parapet resumes an execution
   * whose lease expired and calls `execute` again with the same key. Throw (or return
   * `{ ok: false }`) to report a failure.
   */
  execute: (ctx: CapabilityContext & { idempotencyKey: string; effect: CapabilityEffect }) => Promise<CapabilityReport & { ok?: boolean }> | (CapabilityReport & { ok?: boolean });
}

/** When a step runs by itself (as the system actor). `undefined` lists mean any. */
export interface AutomaticWhen {
  severities?: readonly string[];
  slos?: readonly string[];
}

export interface RunbookStep {
  /** Unique within the runbook, URL-safe (`requeue`). */
  id: string;
  title: string;
  /** What to look at / do, in plain text (markdown allowed). */
  guidance: string;
  /** A capability name the host registers; omit for guidance-only steps. */
  capability?: string;
  /** Run automatically for matching incidents (capability steps only). */
  automatic?: AutomaticWhen;
}

export interface RunbookMatch {
  /** SLO (slice) names — the `slo` label the generator puts on every alert. */
  slo?: string | readonly string[];
  /** Alert names as the generator emits them (use `alertName(slice, kind)` from `@parapet/core/slo`). */
  alertname?: string | readonly string[];
}

export interface Runbook {
  /** Unique, URL-safe (`dead-letters`). */
  id: string;
  title: string;
  description?: string;
  /** Attached when the incident's slo or alertname matches (either one matching is enough). */
  match: RunbookMatch;
  steps: readonly RunbookStep[];
  /** Circuit breaker for automatic steps: at most `limit` executions per `windowMs` per step. */
  breaker?: { limit: number; windowMs: number };
}

export interface EscalationTier {
  /** Notifier channel names. */
  targets: readonly string[];
  /** Page the next tier this long after this one unless acknowledged. */
  escalateAfterMs: number;
}

export interface EscalationPolicy {
  name: string;
  /** Which incidents it covers; the first matching policy wins. Omit for a catch-all. */
  match?: { slo?: string | readonly string[]; severity?: string | readonly string[] };
  /** The first tier is paged this long after the incident opens unless someone acknowledges first. */
  ackGraceMs: number;
  tiers: readonly EscalationTier[];
  /** Channels told of every transition (opened, acknowledged, resolved, reopened): the incident channel. */
  announce?: readonly string[];
}
