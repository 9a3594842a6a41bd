import { sql, type Kysely } from 'kysely';
import type { EvidenceExtension } from '@parapet/evidence-pg';

/**
 * The response layer's tables, added to the evidence database through evidence-pg's extension
 * point (same migration table, same provider). Pass `responseExtension` in `extensions` to
 * `createEvidenceStore()` (or `migrateEvidence()`).
 *
 * - `parapet_response_event`: one row per incident transition, written by a trigger **in the
 *   transaction of the change** (webhook ingest and operator actions alike), consumed once.
 * - `parapet_response_outbox`: one row per (channel, transition), unique — re-deliveries of a
 *   firing alert never notify twice; delivered after commit under a lease.
 * - `parapet_response_preview` / `parapet_response_execution`: preview → confirm, consumed by a
 *   conditional update; executions carry a lease so a crashed run is resumed, not stuck.
 * - `parapet_response_runbook_setting`: per-runbook automation switch.
 */
export const responseExtension: EvidenceExtension = {
  name: 'response',
  migrations: {
    '0001_response': {
      async up(db: Kysely<any>) {
        await sql`
          CREATE TABLE parapet_response_event (
            id bigserial PRIMARY KEY,
            incident_id bigint NOT NULL REFERENCES parapet_incident(id) ON DELETE CASCADE,
            kind text NOT NULL CHECK (kind IN ('opened', 'reopened', 'acknowledged', 'resolved', 'escalate_requested')),
            at timestamptz NOT NULL,
            processed_at timestamptz
          )`.execute(db);
        await sql`CREATE INDEX parapet_response_event_pending ON parapet_response_event (id) WHERE processed_at IS NULL`.execute(db);
        await sql`
          CREATE FUNCTION parapet_response_incident_change() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            IF TG_OP = 'INSERT' THEN
              IF NEW.state <> 'resolved' THEN
                INSERT INTO parapet_response_event (incident_id, kind, at) VALUES (NEW.id, 'opened', NEW.updated_at);
              END IF;
            ELSIF NEW.state IS DISTINCT FROM OLD.state THEN
              INSERT INTO parapet_response_event (incident_id, kind, at) VALUES (NEW.id,
                CASE WHEN NEW.state = 'resolved' THEN 'resolved'
                     WHEN OLD.state = 'resolved' THEN 'reopened'
                     ELSE 'acknowledged' END,
                NEW.updated_at);
            ELSIF NEW.escalation_step > OLD.escalation_step AND coalesce(current_setting('parapet.response_engine', true), '') <> 'on' THEN
              INSERT INTO parapet_response_event (incident_id, kind, at) VALUES (NEW.id, 'escalate_requested', NEW.updated_at);
            END IF;
            RETURN NULL;
          END $$`.execute(db);
        await sql`CREATE TRIGGER parapet_response_incident_change AFTER INSERT OR UPDATE ON parapet_incident FOR EACH ROW EXECUTE FUNCTION parapet_response_incident_change()`.execute(db);

        await sql`
          CREATE TABLE parapet_response_outbox (
            id bigserial PRIMARY KEY,
            incident_id bigint NOT NULL REFERENCES parapet_incident(id) ON DELETE CASCADE,
            channel text NOT NULL,
            kind text NOT NULL,
            transition_key text NOT NULL,
            message jsonb NOT NULL,
            state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
            attempts integer NOT NULL DEFAULT 0,
            next_attempt_at timestamptz NOT NULL,
            lease_owner text,
            lease_until timestamptz,
            created_at timestamptz NOT NULL,
            delivered_at timestamptz,
            last_status integer,
            last_error text,
            UNIQUE (channel, transition_key)
          )`.execute(db);
        await sql`CREATE INDEX parapet_response_outbox_due ON parapet_response_outbox (next_attempt_at) WHERE state = 'pending'`.execute(db);
        await sql`CREATE INDEX parapet_response_outbox_incident ON parapet_response_outbox (incident_id, id)`.execute(db);

        await sql`
          CREATE TABLE parapet_response_preview (
            id text PRIMARY KEY,
            incident_id bigint NOT NULL REFERENCES parapet_incident(id) ON DELETE CASCADE,
            runbook text NOT NULL,
            step text NOT NULL,
            capability text NOT NULL,
            actor_id text NOT NULL CHECK (length(btrim(actor_id)) > 0),
            input jsonb NOT NULL,
            effect jsonb NOT NULL,
            warnings jsonb NOT NULL,
            state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'confirmed', 'cancelled')),
            created_at timestamptz NOT NULL,
            expires_at timestamptz NOT NULL CHECK (expires_at > created_at),
            decided_at timestamptz,
            execution_id bigint,
            CHECK ((state = 'pending') = (decided_at IS NULL))
          )`.execute(db);
        await sql`CREATE INDEX parapet_response_preview_incident ON parapet_response_preview (incident_id, runbook, step)`.execute(db);

        await sql`
          CREATE TABLE parapet_response_execution (
            id bigserial PRIMARY KEY,
            incident_id bigint NOT NULL REFERENCES parapet_incident(id) ON DELETE CASCADE,
            runbook text NOT NULL,
            step text NOT NULL,
            capability text NOT NULL,
            preview_id text UNIQUE REFERENCES parapet_response_preview(id) ON DELETE CASCADE,
            auto_key text UNIQUE,
            actor_id text NOT NULL,
            automatic boolean NOT NULL,
            input jsonb NOT NULL,
            effect jsonb,
            status text NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
            report jsonb,
            attempts integer NOT NULL DEFAULT 0,
            lease_owner text,
            lease_until timestamptz NOT NULL,
            started_at timestamptz NOT NULL,
            finished_at timestamptz,
            CHECK ((preview_id IS NULL) <> (auto_key IS NULL))
          )`.execute(db);
        await sql`CREATE INDEX parapet_response_execution_breaker ON parapet_response_execution (runbook, step, started_at) WHERE automatic`.execute(db);
        await sql`CREATE INDEX parapet_response_execution_running ON parapet_response_execution (lease_until) WHERE status = 'running'`.execute(db);
        await sql`CREATE INDEX parapet_response_execution_incident ON parapet_response_execution (incident_id, runbook, step, id)`.execute(db);

        await sql`
          CREATE TABLE parapet_response_runbook_setting (
            runbook text PRIMARY KEY,
            automation_enabled boolean NOT NULL,
            updated_by text NOT NULL,
            updated_at timestamptz NOT NULL
          )`.execute(db);
      },
      async down(db: Kysely<any>) {
        await sql`DROP TRIGGER IF EXISTS parapet_response_incident_change ON parapet_incident`.execute(db);
        await sql`DROP FUNCTION IF EXISTS parapet_response_incident_change()`.execute(db);
        for (const t of ['parapet_response_runbook_setting', 'parapet_response_execution', 'parapet_response_preview', 'parapet_response_outbox', 'parapet_response_event']) {
          await sql`DROP TABLE IF EXISTS ${sql.table(t)}`.execute(db);
        }
      },
    },
  },
  retention: [
    { table: 'parapet_response_event', column: 'at', maxAgeMs: 30 * 86_400_000 },
  ],
};
