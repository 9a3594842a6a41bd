import { describe, expect, it } from 'vitest';
import { urlHasPath } from './options.js';

describe('urlHasPath', () => {
  it('matches the exact path of an absolute URL, with or without a query or fragment', () => {
    expect(urlHasPath('http://h:1/metrics', '/metrics')).toBe(true);
    expect(urlHasPath('http://h/metrics?x=1', '/metrics')).toBe(true);
    expect(urlHasPath('http://h/metrics#a', '/metrics')).toBe(true);
    expect(urlHasPath('http://h/metricsx', '/metrics')).toBe(false);
    expect(urlHasPath('http://h/metrics/', '/metrics')).toBe(false);
    expect(urlHasPath('http://h/api/metrics', '/metrics')).toBe(false);
    expect(urlHasPath('http://metrics/x', '/metrics')).toBe(false);
    expect(urlHasPath('http://h', '/')).toBe(true);
  });
});
