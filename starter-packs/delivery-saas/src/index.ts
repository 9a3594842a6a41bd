import type { Provider } from '@parapet/core/slo';
import { DEFAULT_RUNBOOK_BASE_URL, applyPackOptions, type StarterPackOptions } from '@parapet/core/slo';
// Only the web-saas slice list: the pack options and their logic come from core.
import { webSaasSlices, type WebSaasSliceName } from '@parapet/starter-pack-web-saas';
import { deliverySlices } from './slices.js';

export { deliverySlices } from './slices.js';

export const DELIVERY_SAAS_PROVIDER = '@parapet/starter-pack-delivery-saas';
export type DeliverySaasSliceName = WebSaasSliceName | 'delivery_saas_email_acceptance' | 'delivery_saas_email_delivery' | 'delivery_saas_callback_freshness';

/**
 * Delivery SaaS starter pack: every web-saas slice plus email acceptance, confirmed delivery
 * and delivery callback freshness. Use it instead of `webSaas()`, not next to it.
 */
export function deliverySaas(options: StarterPackOptions<DeliverySaasSliceName> = {}): Provider {
  const base = options.runbookBaseUrl ?? DEFAULT_RUNBOOK_BASE_URL;
  return {
    name: DELIVERY_SAAS_PROVIDER,
    slices: () => applyPackOptions([...webSaasSlices(base), ...deliverySlices(base)], options),
  };
}
