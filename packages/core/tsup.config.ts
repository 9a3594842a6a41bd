import { parapetBuild } from '../../tooling/tsup/preset.js';

// shims: the CJS build gets a real `import.meta.url`, which loads the prom-client peer lazily.
export default parapetBuild(
  { index: 'src/index.ts', integration: 'src/integration.ts', slo: 'src/slo/index.ts', otel: 'src/sinks/otel.ts' },
  { shims: true },
);
