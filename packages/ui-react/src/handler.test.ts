import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createWorkbenchHandler } from './handler.js';

function fakeBundle(): string {
  const dir = mkdtempSync(join(tmpdir(), 'parapet-ui-fake-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><html><head><meta charset="utf-8" /><title>Parapet incidents</title><script type="module" src="./assets/app-1.js"></script></head><body></body></html>');
  writeFileSync(join(dir, 'assets', 'app-1.js'), 'console.log(1)');
  return dir;
}

const get = (h: (r: Request) => Promise<Response>, path: string, init?: RequestInit) => h(new Request(`http://app.test${path}`, init));

describe('createWorkbenchHandler', () => {
  const assetsDir = fakeBundle();

  it('serves the page for path-based routes under the mount, with <base href>, a JSON config block and a strict CSP', async () => {
    const h = createWorkbenchHandler({ basePath: '/ops/parapet', assetsDir, title: 'Acme </script>', links: { grafanaUrl: 'https://grafana.example.com' } });
    for (const path of ['/ops/parapet/', '/ops/parapet/resolved', '/ops/parapet/incidents/42']) {
      const res = await get(h, path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      const csp = res.headers.get('content-security-policy')!;
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      const html = await res.text();
      expect(html).toContain('<base href="/ops/parapet/" />');
      const block = /<script type="application\/json" id="parapet-workbench-config">(.*?)<\/script>/.exec(html)![1]!;
      expect(block).not.toContain('</script');
      expect(JSON.parse(block)).toMatchObject({ apiBase: '/ops/parapet/api', basePath: '/ops/parapet', title: 'Acme </script>', links: { grafanaUrl: 'https://grafana.example.com' } });
      expect(html).toContain('<title>Acme &#60;/script&#62; incidents</title>');
    }
  });

  it('redirects the bare mount to its trailing slash and answers unknown pages 404 (still the app, which says so)', async () => {
    const h = createWorkbenchHandler({ assetsDir });
    const bare = await get(h, '/parapet?x=1');
    expect(bare.status).toBe(308);
    expect(bare.headers.get('location')).toBe('/parapet/?x=1');
    expect((await get(h, '/parapet/nope')).status).toBe(404);
  });

  it('serves hashed assets immutable, and refuses traversal', async () => {
    const h = createWorkbenchHandler({ assetsDir });
    const res = await get(h, '/parapet/assets/app-1.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/javascript/);
    expect(res.headers.get('cache-control')).toContain('immutable');
    expect(await res.text()).toBe('console.log(1)');
    expect((await get(h, '/parapet/assets/../index.html')).status).toBe(404);
    expect((await get(h, '/parapet/assets/missing.js')).status).toBe(404);
  });

  it('never shadows the operator API, the Alertmanager webhook or MCP under the same mount', async () => {
    const h = createWorkbenchHandler({ assetsDir });
    for (const path of ['/parapet/api', '/parapet/api/incidents', '/parapet/alertmanager', '/parapet/mcp', '/parapet/mcp/x']) {
      const res = await get(h, path);
      expect(res.status, path).toBe(404);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('NOT_FOUND');
      expect(body.error.message).toMatch(/another Parapet handler/);
    }
    expect((await get(h, '/elsewhere')).status).toBe(404);
  });

  it('answers only GET and HEAD', async () => {
    const h = createWorkbenchHandler({ assetsDir });
    const res = await get(h, '/parapet/', { method: 'POST', body: '{}' });
    expect(res.status).toBe(405);
    const head = await get(h, '/parapet/', { method: 'HEAD' });
    expect(head.status).toBe(200);
  });

  it('validates options strictly: http(s) links only, unknown keys named', () => {
    expect(() => createWorkbenchHandler({ assetsDir, links: { grafanaUrl: 'javascript:alert(1)' } })).toThrow(/grafanaUrl/);
    expect(() => createWorkbenchHandler({ assetsDir, basePath: '/parapet/' })).toThrow(/basePath/);
    expect(() => createWorkbenchHandler({ assetsDir, basepath: '/x' } as never)).toThrow(/basepath/);
  });

  it('adds a cross-origin API to connect-src only', async () => {
    const h = createWorkbenchHandler({ assetsDir, apiBase: 'https://api.example.com/parapet/api' });
    expect((await get(h, '/parapet/')).headers.get('content-security-policy')).toContain("connect-src 'self' https://api.example.com");
  });
});
