import type { IntegrationContext } from '@parapet/core/integration';

/**
 * Where mailer code reports failures it caught: the attached `mailer()` integration's context
 * (counted in parapet_internal_errors_total) and/or the `onError` a caller passed. Never throws.
 */
let context: IntegrationContext | undefined;

export function setReportContext(ctx: IntegrationContext | undefined): void {
  context = ctx;
}

export function reportError(component: string, error: unknown, onError?: (error: unknown) => void): void {
  try {
    context?.reportError(component, error);
  } catch {
    // never reach the host
  }
  if (onError) {
    try {
      onError(error);
    } catch {
      // never reach the host
    }
  }
}
