import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const doc = join(here, '..', '..', '..', 'docs', 'integrations', 'mailer.md');

describe('docs/integrations/mailer.md', async () => {
  const text = await readFile(doc, 'utf8');
  const blocks = [...text.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
  it('has a runnable example', () => expect(blocks.length).toBeGreaterThan(0));
  blocks.forEach((code, i) => {
    it(`example ${i + 1} runs`, async () => {
      const dir = join(here, '.generated');
      await mkdir(dir, { recursive: true });
      const file = join(dir, `mailer-doc-${i + 1}.ts`);
      await writeFile(file, `${code.replaceAll("'@parapet/mailer'", "'../../src/index.js'")}\nexport {};\n`);
      await import(file);
    });
  });
});
