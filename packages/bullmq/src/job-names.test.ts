import { describe, expect, it } from 'vitest';
import { BullmqOptionsError } from './errors.js';
import { createJobNamer, OTHER_JOB, UNNAMED_JOB, validateJobNames } from './job-names.js';

const noErrors = () => {
  throw new Error('unexpected report');
};

describe('job names', () => {
  it('keeps declared names and maps everything else to _other', () => {
    const name = createJobNamer(['send-email', 'charge'], 50, noErrors);
    expect(name('send-email', 'q')).toBe('send-email');
    expect(name('send-email:4711', 'q')).toBe(OTHER_JOB);
    expect(name('', 'q')).toBe(UNNAMED_JOB);
    expect(name(undefined, 'q')).toBe(UNNAMED_JOB);
    expect(name(42, 'q')).toBe(UNNAMED_JOB);
  });

  it('uses a template function, bounding what it returns', () => {
    const reported: unknown[] = [];
    const name = createJobNamer(
      (job, queue) => {
        if (job === 'throw') throw new Error('bug');
        if (job === 'long') return 'x'.repeat(65);
        if (job === 'reserved') return '_overflow';
        if (job === 'control') return 'a\nb';
        if (job === 'none') return undefined;
        return `${queue}/${job.split(':')[0]}`;
      },
      50,
      (_c, e) => reported.push(e),
    );
    expect(name('report:1', 'mail')).toBe('mail/report');
    for (const raw of ['throw', 'long', 'reserved', 'control', 'none']) expect(name(raw, 'q')).toBe(OTHER_JOB);
    expect(reported).toHaveLength(1);
  });

  it('without a declaration, keeps the first maxJobNames distinct names, then _other', () => {
    const name = createJobNamer(undefined, 2, noErrors);
    expect(name('a', 'q')).toBe('a');
    expect(name('b', 'q')).toBe('b');
    expect(name('c', 'q')).toBe(OTHER_JOB);
    expect(name('a', 'q')).toBe('a');
    // Unsafe names are never learned.
    expect(createJobNamer(undefined, 5, noErrors)('y'.repeat(100), 'q')).toBe(OTHER_JOB);
  });

  it('rejects unusable declarations with clear errors', () => {
    expect(() => validateJobNames('send-email', undefined)).toThrow(BullmqOptionsError);
    expect(() => validateJobNames(['ok', ''], undefined)).toThrow(/cannot be a label/);
    expect(() => validateJobNames(['_other'], undefined)).toThrow(/not starting with "_"/);
    expect(() => validateJobNames(undefined, -1)).toThrow(/maxJobNames/);
    expect(() => validateJobNames(undefined, 1.5)).toThrow(/maxJobNames/);
    expect(() => validateJobNames(['a', 'b'], 10)).not.toThrow();
  });
});
