import * as z from 'zod';

/**
 * OpenSLO v1 (`apiVersion: openslo/v1`) as zod schemas, following the spec's rules (OpenSLO
 * README and the go-sdk v1 validation): RFC 1123 names, duration shorthands, `thresholdMetric`
 * xor `ratioMetric`, `good` xor `bad` with `total`, `total` xor `raw` (with `rawType`), target
 * ranges, exactly one time window, at most one alert condition per policy.
 */
export const OPENSLO_API_VERSION = 'openslo/v1';

const dnsLabel = z
  .string()
  .max(63, 'must be at most 63 characters (an RFC 1123 label)')
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be an RFC 1123 label: lower-case letters, digits and "-", starting and ending with a letter or digit');
export const durationShorthand = z.string().regex(/^(0|[1-9][0-9]*)[mhdwMQY]$/, 'must be a duration shorthand: an integer and one of m h d w M Q Y (e.g. 30d)');

const metadata = z.strictObject({
  name: dnsLabel,
  displayName: z.string().optional(),
  labels: z.record(z.string(), z.union([z.string(), z.array(z.string())])).optional(),
  annotations: z
    .record(z.string(), z.string())
    .refine((a) => Object.keys(a).every((k) => !k.startsWith('openslo.com/')), 'annotation keys with the "openslo.com/" prefix are reserved')
    .optional(),
});

const metricSource = z.strictObject({
  metricSourceRef: dnsLabel.optional(),
  type: z.string().optional(),
  spec: z.record(z.string(), z.unknown()).refine((s) => Object.keys(s).length > 0, 'must have at least one key (e.g. query)'),
});
const metric = z.strictObject({ metricSource });

const ratioMetric = z
  .strictObject({
    counter: z.boolean(),
    good: metric.optional(),
    bad: metric.optional(),
    total: metric.optional(),
    raw: metric.optional(),
    rawType: z.enum(['success', 'failure']).optional(),
  })
  .superRefine((r, ctx) => {
    if (r.raw && r.total) ctx.addIssue({ code: 'custom', path: ['raw'], message: 'raw and total are mutually exclusive' });
    if (r.raw) {
      if (!r.rawType) ctx.addIssue({ code: 'custom', path: ['rawType'], message: 'rawType (success or failure) is required with raw' });
      if (r.good || r.bad) ctx.addIssue({ code: 'custom', path: [r.good ? 'good' : 'bad'], message: 'good and bad are not allowed with raw' });
      return;
    }
    if (!r.total) ctx.addIssue({ code: 'custom', path: ['total'], message: 'total is required (or raw with rawType)' });
    if (!!r.good === !!r.bad) ctx.addIssue({ code: 'custom', path: [r.good ? 'bad' : 'good'], message: 'exactly one of good and bad is required with total' });
    if (r.rawType) ctx.addIssue({ code: 'custom', path: ['rawType'], message: 'rawType is only allowed with raw' });
  });

const sliSpec = z
  .strictObject({ description: z.string().optional(), thresholdMetric: metric.optional(), ratioMetric: ratioMetric.optional() })
  .refine((s) => !!s.thresholdMetric !== !!s.ratioMetric, { message: 'exactly one of thresholdMetric and ratioMetric is required', path: ['ratioMetric'] });

const object = <K extends string, S extends z.ZodType>(kind: K, spec: S) =>
  z.strictObject({ apiVersion: z.literal(OPENSLO_API_VERSION, { error: `must be "${OPENSLO_API_VERSION}"` }), kind: z.literal(kind), metadata, spec });

export const sliSchema = object('SLI', sliSpec);
/** An SLI inline in an SLO or objective: metadata and spec only. */
const inlineSli = z.strictObject({ metadata, spec: sliSpec });
/** Inline policies, conditions and targets carry kind, metadata and spec (no apiVersion). */
const inline = <K extends string, S extends z.ZodType>(kind: K, spec: S) => z.strictObject({ kind: z.literal(kind), metadata, spec });

const conditionSpec = z.strictObject({
  description: z.string().optional(),
  severity: z.string().min(1, 'severity is required'),
  condition: z.strictObject({
    kind: z.literal('burnrate', { error: 'must be "burnrate"' }),
    op: z.enum(['lte', 'gte', 'lt', 'gt']),
    threshold: z.number(),
    lookbackWindow: durationShorthand,
    alertAfter: durationShorthand.optional(),
  }),
});
export const alertConditionSchema = object('AlertCondition', conditionSpec);

const targetSpec = z.strictObject({ target: z.string().min(1), description: z.string().optional() });
export const alertNotificationTargetSchema = object('AlertNotificationTarget', targetSpec);

const policySpec = z.strictObject({
  description: z.string().optional(),
  alertWhenNoData: z.boolean().optional(),
  alertWhenResolved: z.boolean().optional(),
  alertWhenBreaching: z.boolean().optional(),
  conditions: z.array(z.union([inline('AlertCondition', conditionSpec), z.strictObject({ conditionRef: dnsLabel })])).max(1, 'an AlertPolicy has at most one condition'),
  notificationTargets: z.array(z.union([inline('AlertNotificationTarget', targetSpec), z.strictObject({ targetRef: dnsLabel })])).default([]),
});
export const alertPolicySchema = object('AlertPolicy', policySpec);

const objective = z
  .strictObject({
    displayName: z.string().optional(),
    op: z.enum(['lte', 'gte', 'lt', 'gt']).optional(),
    value: z.number().optional(),
    target: z.number().min(0).lt(1, 'target must be in [0, 1)').optional(),
    targetPercent: z.number().min(0).lt(100, 'targetPercent must be in [0, 100)').optional(),
    timeSliceTarget: z.number().gt(0).max(1).optional(),
    timeSliceWindow: z.union([durationShorthand, z.string()]).optional(),
    indicator: inlineSli.optional(),
    indicatorRef: dnsLabel.optional(),
    compositeWeight: z.number().positive().optional(),
  })
  .refine((o) => (o.target === undefined) !== (o.targetPercent === undefined), { message: 'exactly one of target and targetPercent is required', path: ['target'] });

const timeWindow = z.union([
  z.strictObject({ duration: durationShorthand, isRolling: z.literal(true) }),
  z.strictObject({
    duration: durationShorthand,
    calendar: z.strictObject({ startTime: z.string(), timeZone: z.string() }),
    isRolling: z.literal(false).optional(),
  }),
]);

const sloSpec = z
  .strictObject({
    description: z.string().optional(),
    service: z.string().min(1, 'service is required'),
    indicator: inlineSli.optional(),
    indicatorRef: dnsLabel.optional(),
    timeWindow: z.array(timeWindow).length(1, 'timeWindow must have exactly one entry'),
    budgetingMethod: z.enum(['Occurrences', 'Timeslices', 'RatioTimeslices']),
    objectives: z.array(objective).min(1, 'at least one objective is required'),
    alertPolicies: z.array(z.union([inline('AlertPolicy', policySpec), z.strictObject({ alertPolicyRef: dnsLabel })])).default([]),
  })
  .refine((s) => !(s.indicator && s.indicatorRef), { message: 'indicator and indicatorRef are mutually exclusive', path: ['indicatorRef'] });
export const sloSchema = object('SLO', sloSpec);

export const serviceSchema = object('Service', z.strictObject({ description: z.string().optional() }));
export const dataSourceSchema = object(
  'DataSource',
  z.strictObject({ description: z.string().optional(), type: z.string().min(1), connectionDetails: z.record(z.string(), z.unknown()) }),
);

export const OPENSLO_KINDS = ['DataSource', 'SLO', 'SLI', 'AlertPolicy', 'AlertCondition', 'AlertNotificationTarget', 'Service'] as const;
export type OpenSloKind = (typeof OPENSLO_KINDS)[number];

export const schemaByKind = {
  DataSource: dataSourceSchema,
  SLO: sloSchema,
  SLI: sliSchema,
  AlertPolicy: alertPolicySchema,
  AlertCondition: alertConditionSchema,
  AlertNotificationTarget: alertNotificationTargetSchema,
  Service: serviceSchema,
} as const;

export type OpenSloSlo = z.output<typeof sloSchema>;
export type OpenSloSli = z.output<typeof sliSchema>;
export type OpenSloAlertPolicy = z.output<typeof alertPolicySchema>;
export type OpenSloAlertCondition = z.output<typeof alertConditionSchema>;
export type OpenSloObject = { [K in OpenSloKind]: z.output<(typeof schemaByKind)[K]> }[OpenSloKind];
