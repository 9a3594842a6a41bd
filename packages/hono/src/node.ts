import { nodeResponseOutcome, type NodeResponseLike, type ResponseOutcome } from '@parapet/core/integration';

/** The Node response @hono/node-server passes as `env.outgoing`, when there is one. */
export interface NodeOutgoing extends NodeResponseLike {
  on(event: 'close', listener: () => void): unknown;
  readonly destroyed?: boolean;
}

export function nodeOutgoing(env: unknown): NodeOutgoing | undefined {
  try {
    const out = (env as { outgoing?: Partial<NodeOutgoing> } | undefined)?.outgoing;
    return out && typeof out.on === 'function' && typeof out.writableFinished === 'boolean' ? (out as NodeOutgoing) : undefined;
  } catch {
    return undefined;
  }
}

/** A request waiting for its Node response to close; `finish` is shared, not a closure per request. */
export interface PendingResponse {
  /** The server-side error Hono saw for this request, read when the response closes. */
  error(pending: this): unknown;
  finish(pending: this, outcome: ResponseOutcome): void;
}

const PENDING = Symbol('parapet.pending');

interface Carrier {
  [PENDING]?: PendingResponse | undefined;
}

// One listener shared by all responses; the request rides on the response. The key is shared
// by every Parapet instance, so one response is recorded once however many watch it.
function onClose(this: NodeOutgoing & Carrier): void {
  const pending = this[PENDING];
  if (pending === undefined) return;
  this[PENDING] = undefined;
  pending.finish(pending, nodeResponseOutcome(this, pending.error(pending)));
}

/**
 * Call `pending.finish` once, when the Node response closes: after its last byte (streams
 * included), when the client went away first (`aborted`), or when the response failed after it
 * started (a streamed body that errored: a server failure, 500).
 */
export function watchClose(out: NodeOutgoing, pending: PendingResponse): void {
  (out as NodeOutgoing & Carrier)[PENDING] = pending;
  if (out.destroyed === true) {
    // The client left before the request reached the app ('close' has been emitted already):
    // record it once the app has routed it, instead of waiting for an event that never comes.
    setImmediate(() => onClose.call(out as NodeOutgoing & Carrier));
    return;
  }
  out.on('close', onClose);
}
