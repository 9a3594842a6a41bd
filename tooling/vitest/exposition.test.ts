import { describe, expect, it } from 'vitest';
import { find, parseExposition } from './exposition.js';

describe('parseExposition', () => {
  it('reads names, escaped labels, values and OpenMetrics exemplars', () => {
    const text = [
      '# HELP x_total help',
      'x_total{route="/a/:id",method="GET",status_class="2xx",status_code="200"} 3',
      'y_bucket{le="0.5",route="a\\"b"} 1 # {trace_id="abc"} 0.2 1700000000.5',
      'z 4.5',
      '',
    ].join('\n');
    const samples = parseExposition(text);
    expect(samples).toHaveLength(3);
    expect(samples[1]!.labels.route).toBe('a"b');
    expect(samples[1]!.exemplar).toEqual({ trace_id: 'abc' });
    expect(samples[2]!.value).toBe(4.5);
    expect(find(samples, 'x_total', { method: 'GET' })[0]!.value).toBe(3);
    expect(find(samples, 'x_total', { method: 'POST' })).toEqual([]);
  });

  it('refuses a line it cannot read instead of skipping it', () => {
    expect(() => parseExposition('not a sample line at all {')).toThrow(/unparseable/);
  });
});
