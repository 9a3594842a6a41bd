import type { Provider } from '@parapet/core/slo';
import { DEFAULT_RUNBOOK_BASE_URL, applyPackOptions, type StarterPackOptions } from '@parapet/core/slo';
import { webSaasSlices } from './slices.js';

export { webSaasSlices } from './slices.js';
/**
 * @deprecated Import `DEFAULT_RUNBOOK_BASE_URL`, `applyPackOptions` and `StarterPackOptions`
 * from `@parapet/core/slo`; these re-exports go away in the next minor.
 */
export { DEFAULT_RUNBOOK_BASE_URL, applyPackOptions, type StarterPackOptions } from '@parapet/core/slo';

export const WEB_SAAS_PROVIDER = '@parapet/starter-pack-web-saas';
export type WebSaasSliceName = 'web_saas_http_availability' | 'web_saas_http_latency' | 'web_saas_login_journey' | 'web_saas_job_success';

/** Web SaaS starter pack: HTTP availability and latency, login journey, background job success. */
export function webSaas(options: StarterPackOptions<WebSaasSliceName> = {}): Provider {
  return {
    name: WEB_SAAS_PROVIDER,
    slices: () => applyPackOptions(webSaasSlices(options.runbookBaseUrl ?? DEFAULT_RUNBOOK_BASE_URL), options),
  };
}
