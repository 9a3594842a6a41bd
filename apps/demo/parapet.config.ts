// The SLOs of the demo app: the two starter packs, composed. `npm run parapet -- gen prometheus
// --config apps/demo/parapet.config.ts` turns them into rules and tests under parapet/prometheus.
import { defineConfig } from '@parapet/core';
import { deliverySaas } from '@parapet/starter-pack-delivery-saas';

export default defineConfig({
  version: 'parapet/v1',
  providers: [deliverySaas({ runbookBaseUrl: 'https://runbooks.example.com/demo' })],
});
