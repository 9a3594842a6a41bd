import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const generated = join(dirname(fileURLToPath(import.meta.url)), '..', '.generated');

export interface Example { doc: string; index: number; line: number; file: string }

/**
 * Write each ```ts block of a guide to its own module so a test can import (run) it.
 * Blocks must be self-contained: imports at the top, no placeholders.
 */
export async function extractExamples(doc: string): Promise<Example[]> {
  const text = await readFile(join(repoRoot, doc), 'utf8');
  const dir = join(generated, doc.replace(/[/.]/g, '_'));
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const examples: Example[] = [];
  const fence = /^```ts\n([\s\S]*?)^```$/gm;
  for (const match of text.matchAll(fence)) {
    const line = text.slice(0, match.index).split('\n').length;
    const file = join(dir, `example-${examples.length + 1}.ts`);
    await writeFile(file, `// ${doc}:${line}\n${match[1]}\nexport {};\n`);
    examples.push({ doc, index: examples.length + 1, line, file });
  }
  return examples;
}
