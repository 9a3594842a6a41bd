import { describe, expect, it } from 'vitest';
import { ParapetError } from '../errors/parapet-error.js';
import { loadPromClient, requirePeer } from './peer.js';

describe('peer dependencies', () => {
  it('a missing peer is a MISSING_PEER error naming the install command', () => {
    let caught: unknown;
    try {
      requirePeer('parapet-test-peer-that-is-not-installed', '^15', 'attach()');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ParapetError);
    const error = caught as ParapetError;
    expect(error.code).toBe('MISSING_PEER');
    expect(error.message).toBe(
      'attach() needs the peer dependency "parapet-test-peer-that-is-not-installed" (^15), which is not installed. ' +
        'Install it next to @parapet/core: npm install parapet-test-peer-that-is-not-installed',
    );
    expect(error.details).toEqual({ peer: 'parapet-test-peer-that-is-not-installed', range: '^15', install: 'npm install parapet-test-peer-that-is-not-installed' });
  });

  it('loads the host\'s prom-client, so the host and Parapet share one global registry', async () => {
    const host = await import('prom-client');
    expect(loadPromClient('attach()').register).toBe(host.register);
  });
});
