import type { IntegrationContext } from '@parapet/core/integration';
import { mailerWebhookRejections, type WebhookRejectionReason } from './metrics.js';

/**
 * Where mailer code reports what it caught: the attached `mailer()` integration's context
 * (internal errors in parapet_internal_errors_total, webhook rejections in their own counter)
 * and/or the `onError` a caller passed. Never throws.
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

export function countRejection(provider: string, reason: WebhookRejectionReason): void {
  try {
    context?.metrics.counter(mailerWebhookRejections).labels({ provider, reason }).inc(1);
  } catch (error) {
    reportError('mailer.webhook', error);
  }
}
