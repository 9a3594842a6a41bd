/** `parapet.config.ts`: the SLO config `parapet gen` reads, written once and then the host's. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const CONFIG_NAMES = ['parapet.config.ts', 'parapet.config.mts', 'parapet.config.cts', 'parapet.config.js', 'parapet.config.mjs', 'parapet.config.cjs'];

/** The config file the project already has, if any (any extension `parapet gen` loads). */
export function existingConfig(root: string): string | undefined {
  return CONFIG_NAMES.find((name) => existsSync(join(root, name)));
}

/**
 * The starter config: the web-saas pack with only the slices an app emits right after install
 * (HTTP availability and latency; a slice nobody feeds would raise a NoData alert), and the
 * Alertmanager receiver that sends alerts to the app's webhook.
 */
export function configSource(): string {
  return `// Parapet's SLOs (written by \`parapet install\`; yours to edit). \`npm run parapet:gen\` turns it into
// Prometheus rules, the Alertmanager config and Grafana dashboards.
import { defineConfig } from '@parapet/core';
import { webSaas } from '@parapet/starter-pack-web-saas';

export default defineConfig({
  providers: [
    webSaas({
      // Drop a slice from this list once your app emits its signal: the login journey
      // (publishJourneyStep({ journey: 'login', ... })) or background jobs (@parapet/bullmq).
      exclude: ['web_saas_login_journey', 'web_saas_job_success'],
    }),
  ],
  alertmanager: {
    // Alertmanager sends every alert to this URL, so the app must serve the route: POST
    // /parapet/alertmanager, which \`npx @parapet/cli install --webhook\` mounts (until then alerts get a
    // 404; \`parapet doctor\` warns: webhook-route). The host is your app as Alertmanager reaches it:
    // localhost only when both run on the same host. bearerTokenFile holds the token Alertmanager
    // sends (one of PARAPET_WEBHOOK_TOKENS in the app).
    webhookUrl: 'http://localhost:3000/parapet/alertmanager',
    bearerTokenFile: '/etc/alertmanager/secrets/parapet-webhook-token',
  },
});
`;
}
