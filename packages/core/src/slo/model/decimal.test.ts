import { describe, expect, it } from 'vitest';
import { errorBudget, exactProduct, objectiveRatio } from './decimal.js';

describe('exact decimals', () => {
  it.each([
    [99.9, '0.001'], [99.95, '0.0005'], [99, '0.01'], [99.5, '0.005'], [99.99, '0.0001'], [90, '0.1'], [99.999, '0.00001'],
  ])('budget of %s%% is %s', (objective, budget) => {
    expect(errorBudget(objective)).toBe(budget);
  });

  it('prints objectives and products without float noise', () => {
    expect(objectiveRatio(99.9)).toBe('0.999');
    expect(1 - 0.999).not.toBe(0.001); // what naive code would print
    expect(exactProduct(14.4, 0.001)).toBe('0.0144');
    expect(exactProduct(6, 0.0005)).toBe('0.003');
    expect(exactProduct(1e-7)).toBe('0.0000001');
  });
});
