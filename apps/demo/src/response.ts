import { alertName } from '@parapet/core/slo';
import type { EvidenceStoreHandle } from '@parapet/evidence-pg';
import type { RunbookSource } from '@parapet/mcp';
import { createResponseEngine, defineRunbook, slackNotifier, webhookNotifier, type Capability, type EscalationPolicy, type Notifier, type ResponseEngine, type Runbook } from '@parapet/response';

/** The slice the failure switch breaks (the web-saas starter pack's login journey). */
export const LOGIN_SLICE = 'web_saas_login_journey';
/** The channel name of the demo's one notifier (`PARAPET_NOTIFY_WEBHOOK_URL`). */
export const NOTIFY_CHANNEL = 'demo-notify';

/** The runbook attached to the login journey's incidents: one guidance step, one capability step. */
export const loginRunbook: Runbook = defineRunbook({
  id: 'login-failing',
  title: 'Login journey failing',
  description: 'The demo login fails while its failure switch is on (home page button, or --fail).',
  match: { slo: LOGIN_SLICE, alertname: [alertName({ name: LOGIN_SLICE }, 'page'), alertName({ name: LOGIN_SLICE }, 'ticket')] },
  steps: [
    {
      id: 'check',
      title: 'Check what changed',
      guidance: 'Look at the timeline for a deploy or flag change just before the incident opened, and at the home page: is the failure switch of the login journey on?',
    },
    {
      id: 'switch-off',
      title: 'Turn off the failure switch',
      guidance: 'Stops the injected login failures. Preview shows what changes; confirm with a rationale.',
      capability: 'demo_failure_switch_off',
    },
  ],
});

/** "Turn off the failure switch": refused when it is already off; idempotent. */
export function failureSwitchCapability(failures: { on: boolean; ratio: number }): Capability {
  return {
    name: 'demo_failure_switch_off',
    validate: () => (failures.on ? undefined : 'the failure switch of the login journey is already off'),
    preview: () => ({
      effect: { summary: `turn the login failure switch off (now on: ${Math.round(failures.ratio * 100)}% of logins fail)`, data: { on: failures.on, ratio: failures.ratio } },
      warnings: ['The demo restarts with the switch off anyway unless it was started with --fail.'],
    }),
    execute: () => {
      const was = failures.on;
      failures.on = false;
      return { summary: was ? 'login failure switch turned off' : 'login failure switch was already off', data: { on: false } };
    },
  };
}

/**
 * The notifier from `PARAPET_NOTIFY_WEBHOOK_URL`: Slack's incoming-webhook format, or a signed
 * Standard Webhooks POST when `PARAPET_NOTIFY_WEBHOOK_SECRET` is set. None without a URL.
 */
export function demoNotifiers(settings: { notifyWebhookUrl?: string; notifyWebhookSecret?: string }): Notifier[] {
  if (!settings.notifyWebhookUrl) return [];
  return [
    settings.notifyWebhookSecret
      ? webhookNotifier({ name: NOTIFY_CHANNEL, url: settings.notifyWebhookUrl, secret: settings.notifyWebhookSecret })
      : slackNotifier({ name: NOTIFY_CHANNEL, url: settings.notifyWebhookUrl }),
  ];
}

/** Every transition announced on the one channel; paged again there if nobody acknowledges in 15 minutes. */
export const demoPolicy: EscalationPolicy = {
  name: 'demo',
  announce: [NOTIFY_CHANNEL],
  ackGraceMs: 15 * 60_000,
  tiers: [{ targets: [NOTIFY_CHANNEL], escalateAfterMs: 30 * 60_000 }],
};

export async function startResponse(args: {
  store: EvidenceStoreHandle;
  publicBaseUrl: string;
  failures: { on: boolean; ratio: number };
  notifyWebhookUrl?: string;
  notifyWebhookSecret?: string;
}): Promise<ResponseEngine> {
  const notifiers = demoNotifiers(args);
  return createResponseEngine({
    store: args.store,
    publicBaseUrl: args.publicBaseUrl,
    runbooks: [loginRunbook],
    capabilities: [failureSwitchCapability(args.failures)],
    notifiers,
    policies: notifiers.length > 0 ? [demoPolicy] : [],
  });
}

/** The same runbook for the MCP endpoint's `read_runbook` tool. */
export const runbookSource: RunbookSource = {
  async read({ name, slo, alertname }) {
    const r = loginRunbook;
    const matches = name === r.id || slo === LOGIN_SLICE || (alertname !== undefined && [r.match.alertname].flat().includes(alertname));
    if (!matches) return undefined;
    const content = [r.description ?? '', ...r.steps.map((s, i) => `${i + 1}. **${s.title}** — ${s.guidance}${s.capability ? ` (capability \`${s.capability}\`: preview, then confirm in the workbench)` : ''}`)].join('\n');
    return { name: r.id, title: r.title, content };
  },
};
