import { ParapetError } from '../../errors/parapet-error.js';

/**
 * Thrown for invalid SLO specs and configs (code `SLO_SPEC`). `problems` holds one line per
 * finding, each naming the slice (and its provider) and the field, and saying how to fix it.
 */
export class SloSpecError extends ParapetError {
  override name = 'SloSpecError';
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super('SLO_SPEC', `Invalid SLO spec:\n${problems.map((p) => `  - ${p}`).join('\n')}`, { details: { problems: [...problems] } });
    this.problems = problems;
  }
}
