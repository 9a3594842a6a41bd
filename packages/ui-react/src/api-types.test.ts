// The workbench's API types are generated from evidence-pg's OpenAPI description; a stale
// operator-api.gen.ts (the contract changed, the types did not) fails here.
import { readFile } from 'node:fs/promises';
import openapiTS, { astToString } from 'openapi-typescript';
import { describe, expect, it } from 'vitest';

const spec = new URL('../../evidence-pg/openapi.json', import.meta.url);
const generated = new URL('./operator-api.gen.ts', import.meta.url);

describe('operator-api.gen.ts', () => {
  it('is what openapi-typescript generates from @parapet/evidence-pg/openapi.json today (else run `npm run api-types -w @parapet/ui-react`)', async () => {
    const fresh = astToString(await openapiTS(spec));
    const committed = await readFile(generated, 'utf8');
    // The CLI adds a header comment; compare the declarations.
    expect(committed.slice(committed.indexOf('export interface paths'))).toBe(fresh.slice(fresh.indexOf('export interface paths')));
  });
});
