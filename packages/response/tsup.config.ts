import { parapetBuild } from '../../tooling/tsup/preset.js';

export default parapetBuild({ index: 'src/index.ts' });
