import type { Integration, IntegrationContext } from '@parapet/core/integration';
import { parseOptions } from '@parapet/core/integration';
import * as z from 'zod';
import { setReportContext } from './report.js';

export type MailerOptions = Record<string, never>;

/**
 * The mailer integration for `attach({ integrations: [mailer()] })`: failures caught inside
 * instrumented transports and webhook handlers are counted in `parapet_internal_errors_total`
 * (components `mailer.transport`, `mailer.webhook.<provider>`), and refused webhook requests in
 * `parapet_mailer_webhook_rejections_total{provider,reason}`. Transports and handlers publish
 * their events whether or not it is attached; attach() records them.
 */
export function mailer(options: MailerOptions = {}): Integration {
  parseOptions(z.strictObject({}), options, 'mailer()');
  return {
    name: 'mailer',
    setup(ctx: IntegrationContext) {
      setReportContext(ctx);
      return () => setReportContext(undefined);
    },
  };
}
