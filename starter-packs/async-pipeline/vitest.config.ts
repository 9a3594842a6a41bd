import { parapetProject } from '@parapet/vitest-preset';

export default parapetProject('starter-pack-async-pipeline');
