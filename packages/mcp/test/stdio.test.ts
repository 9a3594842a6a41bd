import { PassThrough } from 'node:stream';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/client';
import { serveMcpStdio, TOOL_NAMES } from '../src/index.js';
import { auditRows, incidentFingerprint, openTarget, seed, type OpenedTarget, type Seeded } from './support.js';

/** A client transport speaking the stdio framing (one JSON message per line) over in-process pipes. */
function pipeTransport(toServer: PassThrough, fromServer: PassThrough) {
  const transport = {
    onmessage: undefined as ((message: unknown) => void) | undefined,
    onclose: undefined as (() => void) | undefined,
    onerror: undefined as ((error: Error) => void) | undefined,
    async start() {
      createInterface({ input: fromServer }).on('line', (line) => line.trim() && transport.onmessage?.(JSON.parse(line)));
    },
    async send(message: unknown) {
      toServer.write(`${JSON.stringify(message)}\n`);
    },
    async close() {
      toServer.end();
      transport.onclose?.();
    },
  };
  return transport;
}

describe('serveMcpStdio (stdio framing, in process)', () => {
  let opened: OpenedTarget;
  let seeded: Seeded;
  beforeAll(async () => {
    opened = await openTarget('pglite');
    seeded = await seed(opened.store);
  }, 60_000);
  afterAll(async () => opened?.close());

  it('serves the read-only tools to the SDK client and audits every call, refused ones included', async () => {
    const toServer = new PassThrough();
    const fromServer = new PassThrough();
    const served = await serveMcpStdio({ store: opened.store, principal: { id: 'ada@laptop' }, input: toServer, output: fromServer });
    const client = new Client({ name: 'pipe-test', version: '2.0.0' });
    const before = await incidentFingerprint(opened.store);
    try {
      await client.connect(pipeTransport(toServer, fromServer) as never);
      expect((await client.listTools()).tools.map((t) => t.name).sort()).toEqual([...TOOL_NAMES].sort());
      const detail = (await client.callTool({ name: 'get_incident', arguments: { id: seeded.checkout } })).structuredContent as { found: boolean };
      expect(detail.found).toBe(true);
      const write = await client.callTool({ name: 'resolve_incident', arguments: { id: seeded.checkout } }).catch((e: Error) => ({ isError: true, message: e.message }));
      expect(write.isError).toBe(true);
      const bad = await client.callTool({ name: 'list_incidents', arguments: { limit: 10_000 } }).catch((e: Error) => ({ isError: true, message: e.message }));
      expect(bad.isError).toBe(true);
    } finally {
      await client.close();
      await served.close();
    }
    expect(await incidentFingerprint(opened.store)).toBe(before);
    const rows = (await auditRows(opened.store)).map((r) => `${r.actor_id} ${r.transport} ${r.kind}:${r.name} ${r.outcome} ${r.client}`);
    expect(rows).toEqual([
      'ada@laptop stdio tool:get_incident ok pipe-test/2.0.0',
      'ada@laptop stdio tool:resolve_incident error pipe-test/2.0.0',
      'ada@laptop stdio tool:list_incidents error pipe-test/2.0.0',
    ]);
  });
});
