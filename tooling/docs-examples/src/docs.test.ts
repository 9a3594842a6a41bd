import { describe, expect, it } from 'vitest';
import { extractExamples } from './extract.js';

/** Guides whose ts examples run here. Other guides test their examples next to their code. */
const guides = ['docs/getting-started.md', 'docs/telemetry.md'];

for (const doc of guides) {
  const examples = await extractExamples(doc);
  describe(doc, () => {
    it('has examples', () => expect(examples.length).toBeGreaterThan(0));
    for (const example of examples) {
      it(`example ${example.index} (line ${example.line}) runs`, async () => {
        await import(example.file);
      });
    }
  });
}
