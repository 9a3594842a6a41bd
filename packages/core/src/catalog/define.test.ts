import { describe, expect, it } from 'vitest';
import { defineMetric, LabelPolicyError, MetricDefinitionError } from './define.js';

const labels = (n: number) => Array.from({ length: n }, (_, i) => `l${i}`);

describe('defineMetric label policy', () => {
  it('accepts ten labels and rejects eleven, naming the metric', () => {
    expect(() => defineMetric({ name: 'ok_total', type: 'counter', help: 'h', labels: labels(10) })).not.toThrow();
    expect(() => defineMetric({ name: 'wide_total', type: 'counter', help: 'h', labels: labels(11) })).toThrow(
      new LabelPolicyError('Metric "wide_total" declares 11 labels (l0, l1, l2, l3, l4, l5, l6, l7, l8, l9, l10); the limit is 10. Drop or merge labels.'),
    );
  });

  it.each(['user_id', 'trace_id', 'path', 'raw_query', 'email', 'request_url', 'api_token'])('rejects identifier-like label %s', (label) => {
    expect(() => defineMetric({ name: 'x_total', type: 'counter', help: 'h', labels: [label] })).toThrow(
      new RegExp(`Metric "x_total": label "${label}" looks like an exact identifier`),
    );
  });

  it('rejects reserved, invalid and duplicate label names', () => {
    expect(() => defineMetric({ name: 'h_seconds', type: 'histogram', help: 'h', labels: ['le'], buckets: [1] })).toThrow(/label "le" is reserved/);
    expect(() => defineMetric({ name: 'x_total', type: 'counter', help: 'h', labels: ['bad-name'] })).toThrow(/not a valid Prometheus label name/);
    expect(() => defineMetric({ name: 'x_total', type: 'counter', help: 'h', labels: ['a', 'a'] })).toThrow(/declared twice/);
  });

  it('rejects closed value sets for undeclared labels', () => {
    expect(() =>
      defineMetric({ name: 'x_total', type: 'counter', help: 'h', labels: ['a'], labelValues: { b: ['x'] } as never }),
    ).toThrow(/labelValues names "b", which is not one of its labels \(a\)/);
  });
});

describe('defineMetric naming conventions', () => {
  it('requires _total on counters and only on counters', () => {
    expect(() => defineMetric({ name: 'requests', type: 'counter', help: 'h', labels: [] })).toThrow(MetricDefinitionError);
    expect(() => defineMetric({ name: 'depth_total', type: 'gauge', help: 'h', labels: [] })).toThrow(/only counters end in "_total"/);
  });

  it('requires base units', () => {
    expect(() => defineMetric({ name: 'latency_ms', type: 'histogram', help: 'h', labels: [], buckets: [1] })).toThrow(/base units/);
  });

  it('requires ascending finite buckets on histograms', () => {
    expect(() => defineMetric({ name: 'd_seconds', type: 'histogram', help: 'h', labels: [] })).toThrow(/declare their buckets/);
    expect(() => defineMetric({ name: 'd_seconds', type: 'histogram', help: 'h', labels: [], buckets: [1, 1] })).toThrow(/strictly ascending/);
    expect(() => defineMetric({ name: 'd_seconds', type: 'histogram', help: 'h', labels: [], buckets: [1, Infinity] })).toThrow(/finite/);
  });

  it('requires help text and a valid name', () => {
    expect(() => defineMetric({ name: 'x_total', type: 'counter', help: ' ', labels: [] })).toThrow(/help text is required/);
    expect(() => defineMetric({ name: '1x', type: 'gauge', help: 'h', labels: [] })).toThrow(/must match/);
  });
});

describe('defineMetric zeroInit', () => {
  it('accepts declared labels and closed values, on counters only', () => {
    expect(() => defineMetric({ name: 'x_total', type: 'counter', help: 'h', labels: ['outcome'], labelValues: { outcome: ['ok', 'bad'] }, zeroInit: [{ outcome: 'bad' }] })).not.toThrow();
    expect(() => defineMetric({ name: 'x_total', type: 'counter', help: 'h', labels: ['outcome'], zeroInit: [{ result: 'bad' } as never] })).toThrow(/zeroInit names "result", which is not one of its labels/);
    expect(() => defineMetric({ name: 'x_total', type: 'counter', help: 'h', labels: ['outcome'], labelValues: { outcome: ['ok'] }, zeroInit: [{ outcome: 'bad' }] })).toThrow(/zeroInit value "bad" is not one of the allowed values of "outcome" \(ok\)/);
    expect(() => defineMetric({ name: 'x', type: 'gauge', help: 'h', labels: ['a'], zeroInit: [{ a: 'b' }] })).toThrow(/only counters take zeroInit/);
  });

  it('rejects an unknown key with a did-you-mean, as a MetricDefinitionError', () => {
    const bad = { name: 'x_total', type: 'counter', help: 'h', labels: [], maxSerie: 5 } as never;
    expect(() => defineMetric(bad)).toThrow(MetricDefinitionError);
    expect(() => defineMetric(bad)).toThrow(/defineMetric\("x_total"\): unknown option "maxSerie" \(did you mean "maxSeries"\?\)/);
  });
});
