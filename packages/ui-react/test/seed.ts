import type { WorkbenchServer } from './server.js';
import { payload } from './server.js';

const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

/** A small, realistic queue: a deploy and a flag change shortly before a checkout burn, plus others. */
export async function seedQueue(s: WorkbenchServer): Promise<{ checkoutId: string }> {
  await s.store.recordDeploy({ version: 'v2026.11.30-1', service: 'checkout', slo: 'checkout_availability', at: ago(12 * 60_000), actor: 'ci', url: 'https://ci.example.com/runs/981', summary: 'checkout v2026.11.30-1' });
  await s.store.recordFlagChange({ flag: 'new-payment-router', from: false, to: true, service: 'checkout', slo: 'checkout_availability', at: ago(8 * 60_000), actor: 'u-bob' });
  const fire = async (fingerprint: string, minutesAgo: number, labels: Record<string, string>, annotations: Record<string, string> = {}) => {
    const res = await s.deliver(payload([{ fingerprint, startsAt: ago(minutesAgo * 60_000), labels, annotations }], `{}:{fp="${fingerprint}"}`));
    if (res.status !== 200) throw new Error(`webhook answered ${res.status}: ${await res.text()}`);
    const body = (await res.json()) as { incidentIds: string[] };
    return body.incidentIds[0]!;
  };
  await fire('login-latency', 95, { alertname: 'SLOBurnFast', slo: 'login_latency', service: 'auth', severity: 'ticket' }, { summary: 'login p99 above 800 ms', burn_rate: '3.1×', error_budget_remaining: '71%' });
  await fire('email-delivery', 40, { alertname: 'SLOBurnSlow', slo: 'email_delivery', service: 'mailer', severity: 'ticket' }, { summary: 'password-reset emails delayed' });
  const checkoutId = await fire('checkout-availability', 5, { alertname: 'SLOBurnFast', slo: 'checkout_availability', service: 'checkout', severity: 'page' }, { summary: 'checkout 5xx at 4.2% over 5m (budget burning 14.4× fast)', burn_rate: '14.4×', error_budget_remaining: '62%' });
  return { checkoutId };
}
