import { parapetProject } from '@parapet/vitest-preset';

export default parapetProject('docs-examples');
