/**
 * The OpenAPI 3.1 fragment for the routes `@parapet/response` adds under the operator API
 * (`<mount>/api`). Merge its `paths` and `components.schemas` into evidence-pg's document.
 * `openapi.json` in the package root is this object, checked by a test.
 */
const ts = { type: 'string', format: 'date-time' } as const;
const nullableTs = { type: ['string', 'null'], format: 'date-time' } as const;
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const error = (description: string) => ({ description, content: { 'application/json': { schema: ref('Error') } } });
const json = (description: string, schema: object) => ({ description, content: { 'application/json': { schema } } });
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' }, description: 'Incident id' };

export const responseOpenApiDocument = {
  openapi: '3.1.0',
  info: { title: 'Parapet operator API — routes added by @parapet/response', version: '0.0.0' },
  paths: {
    '/incidents/{id}/runbooks': {
      get: {
        operationId: 'listIncidentRunbooks',
        summary: 'Runbooks attached to the incident, with per-step status',
        parameters: [idParam],
        responses: {
          200: json('Attached runbooks (empty list when none matches)', { type: 'object', required: ['incidentId', 'runbooks'], properties: { incidentId: { type: 'string' }, runbooks: { type: 'array', items: ref('RunbookView') } } }),
          401: error('No actor'),
          404: error('No such incident'),
        },
      },
    },
    '/incidents/{id}/runbooks/{runbook}/steps/{step}/preview': {
      post: {
        operationId: 'previewRunbookStep',
        summary: 'Preview the exact effect of a capability-backed step (stored, bound to incident, step and actor, expiring)',
        parameters: [idParam, { name: 'runbook', in: 'path', required: true, schema: { type: 'string' } }, { name: 'step', in: 'path', required: true, schema: { type: 'string' } }],
        requestBody: { required: false, content: { 'application/json': { schema: { type: 'object', properties: { input: { type: 'object' }, rationale: { type: 'string' } } } } } },
        responses: {
          201: json('The stored preview', { type: 'object', required: ['preview'], properties: { preview: ref('Preview') } }),
          401: error('No actor'),
          403: error('Viewer, or cross-site request'),
          404: error('No such incident, runbook or step'),
          409: error('guidance_only, capability_unavailable, precondition_failed or incident_resolved (details.reason)'),
        },
      },
    },
    '/incidents/{id}/previews/{preview}/confirm': {
      post: {
        operationId: 'confirmPreview',
        summary: 'Consume the preview exactly once and execute the step',
        parameters: [idParam, { name: 'preview', in: 'path', required: true, schema: { type: 'string' } }],
        requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['rationale'], properties: { rationale: { type: 'string', minLength: 1 } } } } } },
        responses: {
          200: json('The execution (status succeeded or failed)', { type: 'object', required: ['execution'], properties: { execution: ref('Execution') } }),
          400: error('Missing rationale'),
          401: error('No actor'),
          403: error('Viewer, or cross-site request'),
          404: error('No such preview for this incident'),
          409: error('already_confirmed, other_actor, cancelled or incident_resolved (details.reason)'),
          410: error('The preview expired (details.reason = expired)'),
        },
      },
    },
    '/incidents/{id}/previews/{preview}/cancel': {
      post: {
        operationId: 'cancelPreview',
        summary: 'Cancel a pending preview (its actor only)',
        parameters: [idParam, { name: 'preview', in: 'path', required: true, schema: { type: 'string' } }],
        requestBody: { required: false, content: { 'application/json': { schema: { type: 'object', properties: { rationale: { type: 'string' } } } } } },
        responses: {
          200: json('The cancelled preview', { type: 'object', required: ['preview'], properties: { preview: ref('Preview') } }),
          404: error('No such preview for this incident'),
          409: error('already_confirmed or other_actor (details.reason)'),
        },
      },
    },
    '/incidents/{id}/escalation': {
      get: {
        operationId: 'getEscalation',
        summary: "The incident's escalation policy, its durable state and its notifications",
        parameters: [idParam],
        responses: {
          200: json('Escalation view', ref('EscalationView')),
          404: error('No such incident'),
        },
      },
    },
    '/runbooks/{runbook}/automation': {
      post: {
        operationId: 'setRunbookAutomation',
        summary: "Enable or disable a runbook's automatic steps (audited)",
        parameters: [{ name: 'runbook', in: 'path', required: true, schema: { type: 'string' } }],
        requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['enabled', 'rationale'], properties: { enabled: { type: 'boolean' }, rationale: { type: 'string', minLength: 1 } } } } } },
        responses: {
          200: json('The new setting', { type: 'object', required: ['runbook', 'automation'], properties: { runbook: { type: 'string' }, automation: { type: 'object', required: ['enabled'], properties: { enabled: { type: 'boolean' } } } } }),
          400: error('Invalid body'),
          404: error('No such runbook'),
        },
      },
    },
    '/response/health': {
      get: {
        operationId: 'responseHealth',
        summary: 'Outbox lag, notification failures by channel, escalation lag',
        responses: { 200: json('Health figures', ref('ResponseHealth')) },
      },
    },
  },
  components: {
    schemas: {
      Error: {
        type: 'object',
        required: ['error'],
        properties: { error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' }, details: { type: 'object' } } } },
      },
      RunbookView: {
        type: 'object',
        required: ['id', 'title', 'description', 'matchedBy', 'automation', 'steps'],
        properties: {
          id: { type: 'string' },
          title: { type: 'string' },
          description: { type: 'string' },
          matchedBy: { type: 'object', required: ['slo', 'alertname'], properties: { slo: { type: ['string', 'null'] }, alertname: { type: ['string', 'null'] } } },
          automation: {
            type: 'object',
            required: ['enabled', 'breaker'],
            properties: {
              enabled: { type: 'boolean' },
              breaker: { type: 'object', required: ['open', 'executions', 'limit', 'windowMs'], properties: { open: { type: 'boolean' }, executions: { type: 'integer' }, limit: { type: 'integer' }, windowMs: { type: 'integer' } } },
            },
          },
          steps: { type: 'array', items: ref('StepView') },
        },
      },
      StepView: {
        type: 'object',
        required: ['id', 'index', 'title', 'guidance', 'kind', 'capability', 'automatic', 'status', 'activePreview', 'lastExecution'],
        properties: {
          id: { type: 'string' },
          index: { type: 'integer' },
          title: { type: 'string' },
          guidance: { type: 'string' },
          kind: { enum: ['guidance', 'capability'] },
          capability: { oneOf: [{ type: 'null' }, { type: 'object', required: ['name', 'registered'], properties: { name: { type: 'string' }, registered: { type: 'boolean' } } }] },
          automatic: {
            oneOf: [
              { type: 'null' },
              { type: 'object', required: ['severities', 'slos'], properties: { severities: { type: ['array', 'null'], items: { type: 'string' } }, slos: { type: ['array', 'null'], items: { type: 'string' } } } },
            ],
          },
          status: { enum: ['guidance', 'unavailable', 'available', 'previewed', 'running', 'succeeded', 'failed'] },
          activePreview: { oneOf: [{ type: 'null' }, { type: 'object', required: ['id', 'actor', 'expiresAt'], properties: { id: { type: 'string' }, actor: { type: 'string' }, expiresAt: ts } }] },
          lastExecution: { oneOf: [{ type: 'null' }, ref('Execution')] },
        },
      },
      Preview: {
        type: 'object',
        required: ['id', 'incidentId', 'runbook', 'step', 'capability', 'actor', 'effect', 'warnings', 'state', 'createdAt', 'expiresAt'],
        properties: {
          id: { type: 'string' },
          incidentId: { type: 'string' },
          runbook: { type: 'string' },
          step: { type: 'string' },
          capability: { type: 'string' },
          actor: { type: 'string' },
          effect: { type: 'object', required: ['summary'], properties: { summary: { type: 'string' }, data: { type: 'object' } } },
          warnings: { type: 'array', items: { type: 'string' } },
          state: { enum: ['pending', 'confirmed', 'cancelled'] },
          createdAt: ts,
          expiresAt: ts,
        },
      },
      Execution: {
        type: 'object',
        required: ['id', 'previewId', 'incidentId', 'runbook', 'step', 'actor', 'automatic', 'status', 'startedAt', 'finishedAt', 'report'],
        properties: {
          id: { type: 'string' },
          previewId: { type: ['string', 'null'] },
          incidentId: { type: 'string' },
          runbook: { type: 'string' },
          step: { type: 'string' },
          actor: { type: 'string' },
          automatic: { type: 'boolean' },
          status: { enum: ['running', 'succeeded', 'failed'] },
          startedAt: ts,
          finishedAt: nullableTs,
          report: { oneOf: [{ type: 'null' }, { type: 'object', required: ['summary'], properties: { summary: { type: 'string' }, data: { type: 'object' } } }] },
        },
      },
      EscalationView: {
        type: 'object',
        required: ['policy', 'state', 'notifications'],
        properties: {
          policy: {
            oneOf: [
              { type: 'null' },
              {
                type: 'object',
                required: ['name', 'ackGraceMs', 'tiers'],
                properties: {
                  name: { type: 'string' },
                  ackGraceMs: { type: 'integer' },
                  tiers: { type: 'array', items: { type: 'object', required: ['index', 'targets', 'escalateAfterMs'], properties: { index: { type: 'integer' }, targets: { type: 'array', items: { type: 'string' } }, escalateAfterMs: { type: 'integer' } } } },
                },
              },
            ],
          },
          state: {
            type: 'object',
            required: ['step', 'lastTier', 'nextTier', 'nextEscalationAt', 'suppressedUntil', 'stopped', 'stoppedReason'],
            properties: {
              step: { type: 'integer' },
              lastTier: { type: ['integer', 'null'] },
              nextTier: { type: ['integer', 'null'] },
              nextEscalationAt: nullableTs,
              suppressedUntil: nullableTs,
              stopped: { type: 'boolean' },
              stoppedReason: { enum: ['acknowledged', 'resolved', 'exhausted', null] },
            },
          },
          notifications: { type: 'array', items: ref('Notification') },
        },
      },
      Notification: {
        type: 'object',
        required: ['id', 'channel', 'kind', 'transition', 'state', 'attempts', 'createdAt', 'deliveredAt', 'lastError'],
        properties: {
          id: { type: 'string' },
          channel: { type: 'string' },
          kind: { type: 'string' },
          transition: { type: 'string' },
          state: { enum: ['pending', 'delivered', 'failed'] },
          attempts: { type: 'integer' },
          createdAt: ts,
          deliveredAt: nullableTs,
          lastError: { type: ['string', 'null'] },
        },
      },
      ResponseHealth: {
        type: 'object',
        required: ['outbox', 'failuresByChannel', 'escalationLagSeconds'],
        properties: {
          outbox: { type: 'object', required: ['pending', 'oldestPendingAgeSeconds'], properties: { pending: { type: 'integer' }, oldestPendingAgeSeconds: { type: 'number' } } },
          failuresByChannel: { type: 'object', additionalProperties: { type: 'integer' } },
          escalationLagSeconds: { type: 'number' },
        },
      },
    },
  },
} as const;
