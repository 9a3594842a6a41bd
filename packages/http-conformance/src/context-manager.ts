import { AsyncLocalStorage } from 'node:async_hooks';
import { context, ROOT_CONTEXT, trace, TraceFlags, type Context, type ContextManager } from '@opentelemetry/api';

/** Minimal AsyncLocalStorage context manager so `trace.getActiveSpan()` works in tests. */
class LocalContextManager implements ContextManager {
  private readonly storage = new AsyncLocalStorage<Context>();
  active(): Context {
    return this.storage.getStore() ?? ROOT_CONTEXT;
  }
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(ctx: Context, fn: F, thisArg?: ThisParameterType<F>, ...args: A): ReturnType<F> {
    return this.storage.run(ctx, () => fn.apply(thisArg, args));
  }
  bind<T>(_ctx: Context, target: T): T {
    return target;
  }
  enable(): this {
    return this;
  }
  disable(): this {
    this.storage.disable();
    return this;
  }
}

let installed = false;

/** Register the context manager globally (once per process). */
export function installContextManager(): void {
  if (installed) return;
  context.setGlobalContextManager(new LocalContextManager());
  installed = true;
}

/** Header carrying the trace id a test wants active while the server handles the request. */
export const TRACE_HEADER = 'x-test-trace-id';

/** Run `fn` with a (non-recording) span of this trace id active, as a tracing SDK would. */
export function withTraceId<T>(traceId: string, fn: () => T): T {
  const span = trace.wrapSpanContext({ traceId, spanId: '00f067aa0ba902b7', traceFlags: TraceFlags.SAMPLED, isRemote: true });
  return context.with(trace.setSpan(context.active(), span), fn);
}
