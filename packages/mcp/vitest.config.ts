import { parapetProject } from '@parapet/vitest-preset';

export default parapetProject('mcp');
