#!/usr/bin/env node
// The `parapet` command. TypeScript configs load through tsx; inside the Parapet repository the
// workspace packages load from source (the `parapet-source` export condition), so no build is needed.
import { existsSync } from 'node:fs';
import { register } from 'node:module';
import { register as registerTsx } from 'tsx/esm/api';

registerTsx();
const source = new URL('../src/main.ts', import.meta.url);
let entry = new URL('../dist/main.js', import.meta.url);
if (existsSync(source)) {
  register('./source-condition.mjs', import.meta.url);
  entry = source;
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
