import { describe, expect, it } from 'vitest';
import { parseExposition, seriesKey, valuesOf } from './exposition.js';

describe('HTTP series helpers', () => {
  it('key HTTP series by route, method, status class and code', () => {
    const samples = parseExposition('x_total{route="/a/:id",method="GET",status_class="2xx",status_code="200"} 3\n');
    expect(seriesKey(samples[0]!.labels)).toBe('/a/:id GET 2xx 200');
    expect(valuesOf(samples, 'x_total').get('/a/:id GET 2xx 200')).toBe(3);
  });
});
