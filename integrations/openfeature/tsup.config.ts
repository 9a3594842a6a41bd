import { parapetBuild } from '../../tooling/tsup/preset.js';

export default parapetBuild({ index: 'src/index.ts', launchdarkly: 'src/launchdarkly.ts', unleash: 'src/unleash.ts' });
