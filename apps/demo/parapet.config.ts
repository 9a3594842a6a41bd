// The SLOs of the demo app: the two starter packs, composed. `pnpm parapet gen prometheus
// --config apps/demo/parapet.config.ts --out ops/prometheus` turns them into rules and tests.
import { defineConfig } from '@parapet/core';
import { deliverySaas } from '@parapet/starter-pack-delivery-saas';

export default defineConfig({
  version: 'parapet/v1',
  providers: [deliverySaas({ runbookBaseUrl: 'https://runbooks.example.com/demo' })],
});
