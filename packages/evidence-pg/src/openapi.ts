/**
 * The operator HTTP contract as an OpenAPI 3.1 document. This object is the source of
 * `openapi.json` (shipped in the package; a test keeps the file equal to it) and of the contract
 * test that validates every response of the handler against it. Public API: the UI, MCP server,
 * demo and acceptance checks all use exactly this.
 */

const ts = { type: 'string', format: 'date-time', description: 'UTC, microsecond precision' };
const tsOrNull = { type: ['string', 'null'], format: 'date-time' };
const strOrNull = { type: ['string', 'null'] };
const stringMap = { type: 'object', additionalProperties: { type: 'string' } };

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

const commonErrors = {
  '400': errorResponse('INVALID_REQUEST: malformed body, query or headers; the message names the field.'),
  '401': errorResponse('UNAUTHORIZED: no actor (the authorize hook returned null).'),
  '500': errorResponse('INTERNAL'),
  '503': {
    ...errorResponse('UNAVAILABLE: the database failed transiently; retry after `Retry-After` seconds.'),
    headers: { 'Retry-After': { schema: { type: 'string' } } },
  },
};

const actionErrors = {
  ...commonErrors,
  '403': errorResponse('FORBIDDEN: a viewer tried to act, or a cross-site request was refused.'),
  '404': errorResponse('NOT_FOUND: no such incident.'),
  '409': errorResponse('CONFLICT: the transition is not allowed from the current state.'),
  '415': errorResponse('UNSUPPORTED_MEDIA_TYPE: mutating routes accept only application/json.'),
  '422': errorResponse('IDEMPOTENCY_KEY_REUSED: the same Idempotency-Key was used with a different body.'),
};

const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: '^[0-9]+$' } };
const idempotencyHeader = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description: 'Scoped to the actor and the route, kept 24 h by default. A retry returns the first result with no second effect; the same key with a different body is a 422.',
  schema: { type: 'string', minLength: 1, maxLength: 255 },
};

function action(summary: string, body: Record<string, unknown>, required: string[] = ['rationale']) {
  return {
    post: {
      summary,
      parameters: [idParam, idempotencyHeader],
      requestBody: {
        required: true,
        content: { 'application/json': { schema: { type: 'object', required, properties: { rationale: { type: 'string', minLength: 1 }, ...body } } } },
      },
      responses: {
        '200': { description: 'The incident after the action.', content: { 'application/json': { schema: { type: 'object', required: ['incident'], properties: { incident: { $ref: '#/components/schemas/Incident' } } } } } },
        ...actionErrors,
      },
    },
  };
}

/** The shape of `openApiDocument` (kept loose so the declaration stays small). */
export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  paths: Record<string, Record<string, unknown>>;
  components: { securitySchemes: Record<string, unknown>; schemas: Record<string, unknown> };
}

export const openApiDocument: OpenApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'Parapet operator API',
    version: '1.0.0',
    description: 'Alertmanager webhook ingest and the operator API of @parapet/evidence-pg. Paths are relative to the host\'s mount point. Every error answers the one Parapet JSON error body.',
  },
  paths: {
    '/alertmanager': {
      post: {
        summary: 'Alertmanager webhook (version 4 payload).',
        description: 'Bearer or Basic auth. Commits before answering 2xx. Answers 503 with Retry-After on transient database failure so Alertmanager retries; 4xx only for malformed requests (Alertmanager does not retry them).',
        security: [{ bearer: [] }, { basic: [] }],
        requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/AlertmanagerPayload' } } } },
        responses: {
          '200': {
            description: 'Delivery committed.',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/IngestResult' } } },
          },
          '400': errorResponse('INVALID_REQUEST: the payload is not an Alertmanager v4 payload; the message names the bad field.'),
          '401': errorResponse('UNAUTHORIZED: missing or wrong credentials.'),
          '405': errorResponse('METHOD_NOT_ALLOWED: only POST.'),
          '413': errorResponse('PAYLOAD_TOO_LARGE: the body is larger than maxBodyBytes.'),
          '415': errorResponse('UNSUPPORTED_MEDIA_TYPE'),
          '500': errorResponse('INTERNAL'),
          '503': commonErrors['503'],
        },
      },
    },
    '/api/incidents': {
      get: {
        summary: 'The incident queue (keyset pagination).',
        description: 'Order: openedAt descending, then id descending. `nextCursor` is opaque and exact to the microsecond. The ETag changes whenever any incident changes; send it back as If-None-Match to get a 304.',
        parameters: [
          { name: 'state', in: 'query', schema: { type: 'string', enum: ['active', 'resolved', 'all'], default: 'active' } },
          { name: 'severity', in: 'query', schema: { type: 'string' } },
          { name: 'slo', in: 'query', schema: { type: 'string' } },
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } },
          { name: 'cursor', in: 'query', schema: { type: 'string' } },
          { name: 'If-None-Match', in: 'header', schema: { type: 'string' } },
        ],
        responses: {
          '200': {
            description: 'One page.',
            headers: { ETag: { schema: { type: 'string' } } },
            content: { 'application/json': { schema: { type: 'object', required: ['items', 'nextCursor'], properties: { items: { type: 'array', items: { $ref: '#/components/schemas/Incident' } }, nextCursor: strOrNull } } } },
          },
          '304': { description: 'Unchanged since the ETag sent in If-None-Match.' },
          ...commonErrors,
        },
      },
    },
    '/api/incidents/{id}': {
      get: {
        summary: 'One incident with its chronology.',
        parameters: [idParam],
        responses: {
          '200': { description: 'The incident.', content: { 'application/json': { schema: { $ref: '#/components/schemas/IncidentDetail' } } } },
          '404': errorResponse('NOT_FOUND'),
          ...commonErrors,
        },
      },
    },
    '/api/incidents/{id}/retrospective': {
      get: {
        summary: 'Markdown retrospective generated from durable facts.',
        parameters: [idParam],
        responses: {
          '200': { description: 'Markdown.', content: { 'text/markdown': { schema: { type: 'string' } } } },
          '404': errorResponse('NOT_FOUND'),
          ...commonErrors,
        },
      },
    },
    '/api/incidents/{id}/acknowledge': action('open → investigating; records who and when; stops escalation.', {}),
    '/api/incidents/{id}/investigate': action('Take ownership: assigns (to the actor unless `assignee` is given); open → investigating.', { assignee: { type: 'string', minLength: 1 } }),
    '/api/incidents/{id}/assign': action('Sets the one assignee (open or investigating).', { assignee: { type: 'string', minLength: 1 } }, ['rationale', 'assignee']),
    '/api/incidents/{id}/notes': action('Adds a note (rationale is the note text).', {}),
    '/api/incidents/{id}/resolve': action('open or investigating → resolved.', {}),
    '/api/incidents/{id}/reopen': action('resolved → open.', {}),
    '/api/incidents/{id}/escalate': action('Escalates one step (open or investigating).', {}),
    '/api/incidents/{id}/suppress-escalation': action('Suppresses escalation until a future time.', { until: { type: 'string', format: 'date-time' } }, ['rationale', 'until']),
    '/api/incidents/{id}/action-items': {
      post: {
        summary: 'Adds an action item (one concrete object needing follow-up); audited; idempotent per title.',
        parameters: [idParam],
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { type: 'object', required: ['title', 'rationale'], properties: { title: { type: 'string', minLength: 1 }, target: { type: 'string' }, rationale: { type: 'string', minLength: 1 } } } } },
        },
        responses: {
          '201': { description: 'The action item.', content: { 'application/json': { schema: { type: 'object', required: ['actionItem'], properties: { actionItem: { $ref: '#/components/schemas/ActionItem' } } } } } },
          ...actionErrors,
        },
      },
    },
    '/api/deploys': {
      post: {
        summary: 'Records a deploy marker. Accepts the operator authorize hook or a deploy token (Bearer) for CI.',
        security: [{ bearer: [] }],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['version'],
                properties: { version: { type: 'string', minLength: 1 }, service: { type: 'string' }, slo: { type: 'string' }, at: { type: 'string', format: 'date-time' }, url: { type: 'string' }, summary: { type: 'string' } },
              },
            },
          },
        },
        responses: {
          '201': { description: 'Recorded (idempotent by version, service and time).', content: { 'application/json': { schema: { type: 'object', required: ['event'], properties: { event: { $ref: '#/components/schemas/SystemEvent' } } } } } },
          '403': errorResponse('FORBIDDEN'),
          '415': errorResponse('UNSUPPORTED_MEDIA_TYPE'),
          ...commonErrors,
        },
      },
    },
    '/api/health': {
      get: {
        summary: 'Loop health: is the alert path alive (watchdog heartbeat), incidents by state.',
        responses: {
          '200': { description: 'Health.', content: { 'application/json': { schema: { $ref: '#/components/schemas/LoopHealth' } } } },
          ...commonErrors,
        },
      },
    },
  },
  components: {
    securitySchemes: {
      bearer: { type: 'http', scheme: 'bearer' },
      basic: { type: 'http', scheme: 'basic' },
    },
    schemas: {
      Error: {
        type: 'object',
        required: ['error'],
        properties: {
          error: {
            type: 'object',
            required: ['code', 'message'],
            properties: { code: { type: 'string', pattern: '^[A-Z][A-Z_]*$' }, message: { type: 'string', minLength: 1 }, details: { type: 'object' } },
          },
        },
      },
      Escalation: {
        type: 'object',
        required: ['step', 'nextAt', 'suppressedUntil', 'stopped'],
        properties: { step: { type: 'integer', minimum: 0 }, nextAt: tsOrNull, suppressedUntil: tsOrNull, stopped: { type: 'boolean' } },
      },
      IncidentAlert: {
        type: 'object',
        required: ['fingerprint', 'status', 'labels', 'startsAt', 'endsAt'],
        properties: { fingerprint: { type: 'string' }, status: { enum: ['firing', 'resolved'] }, labels: stringMap, startsAt: ts, endsAt: tsOrNull },
      },
      Incident: {
        type: 'object',
        required: ['id', 'state', 'alertname', 'slo', 'severity', 'fingerprint', 'groupKey', 'correlationKey', 'labels', 'annotations', 'runbookUrl', 'traceId', 'triageSummary', 'openedAt', 'acknowledgedAt', 'acknowledgedBy', 'assignee', 'resolvedAt', 'escalation', 'alerts', 'updatedAt'],
        properties: {
          id: { type: 'string' },
          state: { enum: ['open', 'investigating', 'resolved'] },
          alertname: { type: 'string' },
          slo: strOrNull,
          severity: strOrNull,
          fingerprint: { type: 'string' },
          groupKey: strOrNull,
          correlationKey: { type: 'string' },
          labels: stringMap,
          annotations: stringMap,
          runbookUrl: strOrNull,
          traceId: strOrNull,
          triageSummary: strOrNull,
          openedAt: ts,
          acknowledgedAt: tsOrNull,
          acknowledgedBy: strOrNull,
          assignee: strOrNull,
          resolvedAt: tsOrNull,
          escalation: { $ref: '#/components/schemas/Escalation' },
          alerts: { type: 'array', items: { $ref: '#/components/schemas/IncidentAlert' } },
          updatedAt: ts,
        },
      },
      TimelineEntry: {
        type: 'object',
        required: ['id', 'incidentId', 'type', 'at', 'actor', 'summary', 'data'],
        properties: {
          id: { type: 'string' },
          incidentId: { type: 'string' },
          type: { enum: ['alert_fired', 'alert_refired', 'alert_resolved', 'acknowledged', 'note', 'operator_action', 'system_action', 'notification', 'deploy', 'flag_change', 'triage_snapshot', 'truncated_alerts'] },
          at: ts,
          actor: strOrNull,
          summary: { type: 'string' },
          data: { type: 'object' },
        },
      },
      Audit: {
        type: 'object',
        required: ['id', 'incidentId', 'actor', 'action', 'rationale', 'idempotencyKey', 'outcome', 'before', 'after', 'at'],
        properties: {
          id: { type: 'string' },
          incidentId: strOrNull,
          actor: { type: 'object', required: ['id', 'name', 'role'], properties: { id: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' } } },
          action: { type: 'string' },
          rationale: { type: 'string', minLength: 1 },
          idempotencyKey: strOrNull,
          outcome: { enum: ['succeeded', 'rejected'] },
          before: { type: ['object', 'null'] },
          after: { type: ['object', 'null'] },
          at: ts,
        },
      },
      ActionItem: {
        type: 'object',
        required: ['id', 'incidentId', 'title', 'target', 'status', 'createdBy', 'createdAt'],
        properties: { id: { type: 'string' }, incidentId: { type: 'string' }, title: { type: 'string' }, target: strOrNull, status: { enum: ['open', 'done'] }, createdBy: { type: 'string' }, createdAt: ts },
      },
      IncidentDetail: {
        type: 'object',
        required: ['incident', 'timeline', 'audits', 'actionItems'],
        properties: {
          incident: { $ref: '#/components/schemas/Incident' },
          timeline: { type: 'array', items: { $ref: '#/components/schemas/TimelineEntry' } },
          audits: { type: 'array', items: { $ref: '#/components/schemas/Audit' } },
          actionItems: { type: 'array', items: { $ref: '#/components/schemas/ActionItem' } },
        },
      },
      SystemEvent: {
        type: 'object',
        required: ['id', 'kind', 'at', 'service', 'slo', 'summary', 'data'],
        properties: { id: { type: 'string' }, kind: { enum: ['deploy', 'flag_change'] }, at: ts, service: strOrNull, slo: strOrNull, summary: { type: 'string' }, data: { type: 'object' } },
      },
      IngestResult: {
        type: 'object',
        required: ['incidentIds', 'alerts', 'heartbeat'],
        properties: {
          incidentIds: { type: 'array', items: { type: 'string' } },
          heartbeat: { type: 'boolean' },
          alerts: {
            type: 'array',
            items: {
              type: 'object',
              required: ['fingerprint', 'incidentId', 'outcome'],
              properties: { fingerprint: { type: 'string' }, incidentId: strOrNull, outcome: { enum: ['opened', 'added', 'refired', 'reopened', 'resolved', 'duplicate', 'stale', 'unchanged'] } },
            },
          },
        },
      },
      LoopHealth: {
        type: 'object',
        required: ['lastDeliveryAt', 'lastHeartbeatAt', 'heartbeat', 'message', 'incidentsByState'],
        properties: {
          lastDeliveryAt: tsOrNull,
          lastHeartbeatAt: tsOrNull,
          heartbeat: { enum: ['ok', 'missing', 'stale'] },
          message: { type: 'string' },
          incidentsByState: { type: 'object', required: ['open', 'investigating', 'resolved'], properties: { open: { type: 'integer' }, investigating: { type: 'integer' }, resolved: { type: 'integer' } } },
        },
      },
      AlertmanagerPayload: {
        type: 'object',
        required: ['version', 'groupKey', 'status', 'receiver', 'alerts'],
        description: 'Alertmanager webhook payload, version 4. Unknown fields are accepted.',
        properties: {
          receiver: { type: 'string' },
          status: { enum: ['firing', 'resolved'] },
          alerts: {
            type: 'array',
            items: {
              type: 'object',
              required: ['status', 'labels', 'startsAt', 'fingerprint'],
              properties: {
                status: { enum: ['firing', 'resolved'] },
                labels: { ...stringMap, required: ['alertname'] },
                annotations: stringMap,
                startsAt: { type: 'string', format: 'date-time' },
                endsAt: { type: 'string' },
                generatorURL: { type: 'string' },
                fingerprint: { type: 'string', minLength: 1 },
              },
            },
          },
          groupLabels: stringMap,
          commonLabels: stringMap,
          commonAnnotations: stringMap,
          externalURL: { type: 'string' },
          version: { const: '4' },
          groupKey: { type: 'string' },
          truncatedAlerts: { type: 'integer', minimum: 0 },
        },
      },
    },
  },
};
