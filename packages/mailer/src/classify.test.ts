import { describe, expect, it } from 'vitest';
import { classifySendError } from './classify.js';
import { memoryDedupe } from './dedupe.js';

describe('classifySendError()', () => {
  it.each([
    [{ code: 'EENVELOPE', responseCode: 550, permanent: true }, { outcome: 'bounced', faultPlane: 'provider', permanent: true }],
    [{ code: 'EENVELOPE', responseCode: 451, permanent: false }, { outcome: 'failed', faultPlane: 'provider', permanent: false }],
    [{ code: 'EENVELOPE', responseCode: 550 }, { outcome: 'bounced', faultPlane: 'provider', permanent: true }],
    [{ code: 'EMESSAGE', responseCode: 503 }, { outcome: 'failed', faultPlane: 'app', permanent: false }],
    [{ code: 'EAUTH', responseCode: 535 }, { outcome: 'failed', faultPlane: 'app', permanent: true }],
    [{ code: 'ETIMEDOUT' }, { outcome: 'failed', faultPlane: 'provider', permanent: false }],
    [{ code: 'ECONNECTION', responseCode: 554 }, { outcome: 'failed', faultPlane: 'provider', permanent: false }],
    [{ name: 'MessageRejected', $metadata: { httpStatusCode: 400 } }, { outcome: 'bounced', faultPlane: 'provider', permanent: true }],
    [{ name: 'TooManyRequestsException', $metadata: { httpStatusCode: 429 } }, { outcome: 'failed', faultPlane: 'provider', permanent: false }],
    [{ name: 'SendingPausedException', $metadata: { httpStatusCode: 400 } }, { outcome: 'failed', faultPlane: 'app', permanent: true }],
    [{ statusCode: 401 }, { outcome: 'failed', faultPlane: 'app', permanent: true }],
    [new Error('anything'), { outcome: 'failed', faultPlane: 'provider', permanent: false }],
    ['not an error', { outcome: 'failed', faultPlane: 'provider', permanent: false }],
  ])('%j → %j', (error, expected) => {
    expect(classifySendError(error)).toEqual(expected);
  });
});

describe('memoryDedupe()', () => {
  it('claims a key once, forgets released keys and the least recently seen beyond capacity', () => {
    const d = memoryDedupe(2);
    expect(d.claim('a')).toBe(true);
    expect(d.claim('a')).toBe(false);
    d.release('a');
    expect(d.claim('a')).toBe(true);
    d.claim('b');
    d.claim('a'); // refresh a
    d.claim('c'); // evicts b
    expect(d.size).toBe(2);
    expect(d.claim('a')).toBe(false);
    expect(d.claim('b')).toBe(true);
  });
});
