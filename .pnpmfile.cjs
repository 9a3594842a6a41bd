// pnpm hooks for the whole workspace.
//
// beforePacking: `pnpm pack` / `pnpm publish` (and so `npm run pack`) write the package.json that
// ships. In the repository every exports entry has a `parapet-source` condition pointing at
// `src/` (tests and type-checks run against sources without a build); `src/` is not shipped, so
// the packed manifest drops that condition and keeps only `types` / `import` / `require` targets
// in `dist/`. pnpm has already replaced `workspace:` and `catalog:` ranges by then.
// `tooling/scripts/prepack.mjs` (each package's `prepack`) refuses to pack a package whose
// built files are missing.
'use strict';

const SOURCE_CONDITION = 'parapet-source';

function stripSourceCondition(value) {
  if (Array.isArray(value)) return value.map(stripSourceCondition);
  if (value === null || typeof value !== 'object') return value;
  const out = {};
  for (const [key, inner] of Object.entries(value)) {
    if (key === SOURCE_CONDITION) continue;
    out[key] = stripSourceCondition(inner);
  }
  return out;
}

module.exports = {
  hooks: {
    beforePacking(manifest) {
      if (manifest.exports) manifest.exports = stripSourceCondition(manifest.exports);
      return manifest;
    },
  },
};
