import { parapetBuild } from '../../tooling/tsup/preset.js';

export default parapetBuild({ index: 'src/index.ts', integration: 'src/integration.ts', slo: 'src/slo/index.ts', otel: 'src/sinks/otel.ts' });
