import { describe, expect, it } from 'vitest';
import { prometheusSloSource } from './sources.js';

describe('prometheusSloSource', () => {
  it('queries the generated series by slo label, escaped', async () => {
    const queries: string[] = [];
    const source = prometheusSloSource({
      url: 'http://prom:9090/prefix',
      fetch: async (input) => {
        const u = new URL(String(input));
        expect(u.pathname).toBe('/prefix/api/v1/query');
        queries.push(u.searchParams.get('query')!);
        return Response.json({ status: 'success', data: { resultType: 'vector', result: [] } });
      },
    });
    expect(await source.status({ slo: 'a"b', limit: 10 })).toEqual([]);
    expect(queries).toEqual(['{__name__=~"parapet_slo:burn_rate:.+",slo="a\\"b"}', 'parapet_slo:error_budget_remaining:ratio{slo="a\\"b"}', 'parapet_slo:objective:ratio{slo="a\\"b"}']);
  });

  it('reports an unreachable Prometheus as UNAVAILABLE', async () => {
    const source = prometheusSloSource({ url: 'http://prom:9090', fetch: async () => new Response('down', { status: 503 }) });
    await expect(source.status({ limit: 10 })).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });

  it('rejects anything but an absolute http(s) URL at construction', () => {
    expect(() => prometheusSloSource({ url: 'prometheus:9090' })).toThrow(/absolute URL/);
    expect(() => prometheusSloSource({ url: '/api' })).toThrow(/absolute URL/);
  });
});
