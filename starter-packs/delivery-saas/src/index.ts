import { defineStarterPack } from '@parapet/core/slo';
// Only the web-saas slice list: the pack options and their logic come from core.
import { WEB_SAAS_SLICES, webSaasSlices } from '@parapet/starter-pack-web-saas';
import { deliverySlices } from './slices.js';

export { deliverySlices } from './slices.js';

export const DELIVERY_SAAS_PROVIDER = '@parapet/starter-pack-delivery-saas';
export const DELIVERY_SAAS_SLICES = [
  ...WEB_SAAS_SLICES, 'delivery_saas_email_acceptance', 'delivery_saas_email_delivery', 'delivery_saas_callback_freshness',
] as const;
export type DeliverySaasSliceName = (typeof DELIVERY_SAAS_SLICES)[number];

/**
 * Delivery SaaS starter pack: every web-saas slice plus email acceptance, confirmed delivery
 * and delivery callback freshness. Use it instead of `webSaas()`, not next to it.
 * Options: `StarterPackOptions` from `@parapet/core/slo` (unknown options are errors).
 */
export const deliverySaas = defineStarterPack<DeliverySaasSliceName>({
  provider: DELIVERY_SAAS_PROVIDER,
  sliceNames: DELIVERY_SAAS_SLICES,
  slices: (base) => [...webSaasSlices(base), ...deliverySlices(base)],
});
