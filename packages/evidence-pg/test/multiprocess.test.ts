import { needs } from '@parapet/vitest-preset/services';
import { afterEach, describe, expect, it } from 'vitest';
import { forkFixture, nextMessage } from './helpers.js';
import { pgbouncerTarget, postgresTarget, type OpenedStore, type Target } from './targets.js';

const available = { postgres: await needs('postgres'), pgbouncer: await needs('postgres', 'pgbouncer') };

function multiProcess(target: Target) {
  describe.runIf(available[target.name as 'postgres' | 'pgbouncer'])(`several processes on ${target.name}`, () => {
    let opened: OpenedStore | undefined;
    afterEach(async () => {
      await opened?.close();
    });

    for (const correlateBy of ['fingerprint', 'groupKey'] as const) {
      it(`4 processes × 15 concurrent deliveries of one group yield exactly one incident per ${correlateBy === 'fingerprint' ? 'alert' : 'group'}`, async () => {
        opened = await target.open({ correlateBy });
        const children = Array.from({ length: 4 }, () => forkFixture('ingest-child.ts', { EVIDENCE_URL: opened!.url!, DELIVERIES: '15', CORRELATE: correlateBy }));
        await Promise.all(children.map((c) => nextMessage<{ ready?: boolean }>(c, (m) => m.ready === true)));
        const done = children.map((c) => nextMessage<{ done?: boolean; opened?: number; error?: string }>(c, (m) => m.done === true));
        for (const c of children) c.send('go');
        const results = await Promise.all(done);
        expect(results.map((r) => r.error)).toEqual([undefined, undefined, undefined, undefined]);
        const expected = correlateBy === 'fingerprint' ? 5 : 1;
        expect(results.reduce((n, r) => n + r.opened!, 0)).toBe(expected);
        const items = (await opened.store.listIncidents({ state: 'all' })).items;
        expect(items).toHaveLength(expected);
        expect(items.flatMap((i) => i.alerts)).toHaveLength(5);
      });
    }
  });
}

multiProcess(postgresTarget);
multiProcess(pgbouncerTarget);
