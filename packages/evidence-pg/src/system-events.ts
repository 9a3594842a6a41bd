import { closeable, subscribe, type Closeable, type Integration } from '@parapet/core/integration';
import type { EvidenceStore } from './contract.js';

/**
 * Records core's `markDeploy({ service, version, … })` and `flag.change` events as system events
 * in the store (and so onto incidents that open shortly after). Writes run in the background;
 * `close()` unsubscribes and waits for writes in flight. A failed write goes to `onError` and
 * never reaches the code that published the event.
 */
export function recordSystemEvents(args: { store: EvidenceStore; onError?: (error: unknown) => void }): Closeable {
  const pending = new Set<Promise<unknown>>();
  const track = (write: () => Promise<unknown>) => {
    const p = write()
      .catch((error: unknown) => {
        try {
          args.onError?.(error);
        } catch {
          // never into the publisher
        }
      })
      .finally(() => pending.delete(p));
    pending.add(p);
  };
  const offDeploy = subscribe('deploy.marker', (e) => {
    track(() => args.store.recordDeploy({ version: e.version, service: e.service, at: e.at?.toISOString(), actor: e.actor, summary: `Deployed ${e.service} ${e.version}${e.environment ? ` to ${e.environment}` : ''}` }));
  });
  const offFlag = subscribe('flag.change', (e) => {
    track(() => args.store.recordFlagChange({ flag: e.flag, actor: e.actor, to: undefined, from: undefined }));
  });
  return closeable({}, async () => {
    offDeploy();
    offFlag();
    await Promise.all([...pending]);
  });
}

/** The same as an integration for `attach({ integrations: [evidenceIntegration({ store })] })`. */
export function evidenceIntegration(args: { store: EvidenceStore; onError?: (error: unknown) => void }): Integration {
  return {
    name: 'evidence-pg',
    setup() {
      const recorder = recordSystemEvents(args);
      return () => recorder.close();
    },
  };
}
