// Writes openapi.json from src/openapi.ts (the contract test fails when the two differ).
import { writeFileSync } from 'node:fs';
import { openApiDocument } from '../src/openapi.js';

writeFileSync(new URL('../openapi.json', import.meta.url), `${JSON.stringify(openApiDocument, null, 2)}\n`);
