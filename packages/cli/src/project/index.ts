/**
 * Project detection shared by `parapet install` and `parapet doctor`.
 *
 * - `detectProject(root)`: package manager (lockfile; npm by default), module system and language
 *   of the entry file, framework (Express 4/5 or Hono, installed version else declared range) and
 *   the entry file (package.json main, scripts.start/dev, common names).
 * - `findApps(code)`: the Express/Hono apps a file creates (`const app = express()`,
 *   `new Hono<Env>()`, `export default …`, factory functions). Exactly one candidate is what the
 *   installer edits; zero or several mean "not recognized".
 *
 * Everything here only reads.
 */
export {
  detectProject,
  detectEntry,
  detectFramework,
  detectPackageManager,
  languageOf,
  moduleSystemOf,
  readPackageJson,
  type EntryFile,
  type Framework,
  type FrameworkName,
  type Language,
  type ModuleSystem,
  type PackageJson,
  type PackageManager,
  type Project,
} from './detect.js';
export { findApps, locateApps, type AppCandidate, type AppPattern, type LocatedApp } from './apps.js';
