import { defineStarterPack } from '@parapet/core/slo';
import { webSaasSlices } from './slices.js';

export { webSaasSlices } from './slices.js';
/**
 * @deprecated Import `DEFAULT_RUNBOOK_BASE_URL`, `applyPackOptions` and `StarterPackOptions`
 * from `@parapet/core/slo`; these re-exports go away in the next minor.
 */
export { DEFAULT_RUNBOOK_BASE_URL, applyPackOptions, type StarterPackOptions } from '@parapet/core/slo';

export const WEB_SAAS_PROVIDER = '@parapet/starter-pack-web-saas';
export const WEB_SAAS_SLICES = ['web_saas_http_availability', 'web_saas_http_latency', 'web_saas_login_journey', 'web_saas_job_success'] as const;
export type WebSaasSliceName = (typeof WEB_SAAS_SLICES)[number];

/**
 * Web SaaS starter pack: HTTP availability and latency, login journey, background job success.
 * Options: `StarterPackOptions` from `@parapet/core/slo` (unknown options are errors).
 */
export const webSaas = defineStarterPack<WebSaasSliceName>({ provider: WEB_SAAS_PROVIDER, sliceNames: WEB_SAAS_SLICES, slices: webSaasSlices });
