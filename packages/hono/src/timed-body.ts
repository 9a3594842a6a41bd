/**
 * Wrap a response body so `done` runs when the last chunk has been read (the response really
 * ended) or when the reader cancels it (the client went away). Used where there is no Node
 * response object to watch (Bun, Deno, workers, `app.request()`).
 */
export function timedBody(body: ReadableStream<Uint8Array>, done: (aborted: boolean) => void): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let finished = false;
  const finish = (aborted: boolean) => {
    if (finished) return;
    finished = true;
    done(aborted);
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const chunk = await reader.read();
        if (chunk.done) {
          controller.close();
          finish(false);
        } else {
          controller.enqueue(chunk.value);
        }
      } catch (error) {
        finish(true);
        controller.error(error);
      }
    },
    cancel(reason) {
      finish(true);
      return reader.cancel(reason);
    },
  });
}

/**
 * A response whose end calls `done(status, aborted)`: at once when it has no body, else when
 * the body has been read to the end or cancelled. On failure the response stands unchanged.
 */
export function timeResponse(res: Response, done: (status: number, aborted: boolean) => void): Response {
  try {
    const status = res.status;
    if (res.body === null) {
      done(status, false);
      return res;
    }
    return new Response(timedBody(res.body, (aborted) => done(status, aborted)), res);
  } catch {
    return res;
  }
}
