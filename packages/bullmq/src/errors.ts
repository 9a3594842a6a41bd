/** Thrown synchronously for options that cannot work, with a message that says how to fix them. */
export class BullmqOptionsError extends Error {
  override name = 'BullmqOptionsError';
}

/** How @parapet/bullmq reports a failure it caught: counted and logged by attach(), never thrown. */
export type ErrorReporter = (component: string, error: unknown) => void;

/** Used when a helper runs outside attach() and the host passed no reporter: drop quietly. */
export const ignoreErrors: ErrorReporter = () => {};

/** Call a reporter without letting a faulty one escape into BullMQ's event emitter. */
export function safeReport(report: ErrorReporter, component: string, error: unknown): void {
  try {
    report(component, error);
  } catch {
    // A reporter that throws must not become the host's problem.
  }
}
