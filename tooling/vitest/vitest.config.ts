import { parapetProject } from './preset.js';

export default parapetProject('vitest-preset', { include: ['*.test.ts'] });
