import { parapetBuild } from '../../tooling/tsup/preset.js';

// `vite build` writes the static bundle to dist/app first; tsup must not wipe it (clean: false).
export default parapetBuild({ index: 'src/index.ts', handler: 'src/handler.ts' }, { clean: false, shims: true });
