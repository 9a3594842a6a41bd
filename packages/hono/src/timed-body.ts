import { isResponseOutcome, type ResponseOutcome } from '@parapet/core/integration';

/** How a response body ended: or, when the server in front says so, exactly what the client got. */
export type BodyEnd = 'finished' | 'aborted' | 'failed' | ResponseOutcome;

/**
 * Wrap a response body so `done` runs when the last chunk has been read (the response really
 * ended), when the reader cancels it (the client went away), or when the body itself errors
 * midway (a server failure). Used where there is no Node response object to watch (Bun, Deno,
 * workers, `app.request()`, core's `toNodeHandler`).
 */
export function timedBody(body: ReadableStream<Uint8Array>, done: (end: BodyEnd, error?: unknown) => void): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let ended = false;
  const finish = (end: BodyEnd, error?: unknown) => {
    if (ended) return;
    ended = true;
    done(end, error);
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (error) {
        finish('failed', error);
        controller.error(error);
        return;
      }
      if (chunk.done) {
        controller.close();
        finish('finished');
      } else {
        controller.enqueue(chunk.value);
      }
    },
    cancel(reason) {
      // core's toNodeHandler cancels with what the client got when it could not send the body.
      finish(isResponseOutcome(reason) ? reason : 'aborted');
      return reader.cancel(reason);
    },
  });
}

/**
 * A response whose end calls `done(status, end, error)`: at once when it has no body (or answers
 * a HEAD request, whose body Hono drops unread), else when the body has been read to the end,
 * cancelled, or failed. On failure to wrap, the response stands unchanged.
 */
export function timeResponse(res: Response, done: (status: number, end: BodyEnd, error?: unknown) => void, head = false): Response {
  try {
    const status = res.status;
    if (res.body === null || head) {
      done(status, 'finished');
      return res;
    }
    return new Response(timedBody(res.body, (end, error) => done(status, end, error)), res);
  } catch {
    return res;
  }
}
