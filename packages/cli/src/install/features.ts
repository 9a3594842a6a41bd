/**
 * What `parapet install` sets up, and the packages and environment variables each part needs.
 * One table, so the codemod, the installer, the summary and the README say the same thing.
 */
import type { FrameworkName } from '../project/index.js';

export interface Features {
  /** `--webhook`: POST /parapet/alertmanager into the evidence store. */
  readonly webhook: boolean;
  /** `--operator-api`: /parapet/api with an `authorize` stub that denies everyone. */
  readonly operatorApi: boolean;
  /** `--workbench`: the operator UI at /parapet (implies the operator API it talks to). */
  readonly workbench: boolean;
  /** `--migrations`: the evidence store applies pending migrations at startup. */
  readonly migrations: boolean;
}

export const NO_FEATURES: Features = { webhook: false, operatorApi: false, workbench: false, migrations: false };

/** The flags as given, with what they imply (the workbench needs the API; each needs the store). */
export function normalizeFeatures(given: Partial<Features>): Features & { readonly store: boolean } {
  const workbench = given.workbench === true;
  const operatorApi = given.operatorApi === true || workbench;
  const webhook = given.webhook === true;
  const migrations = given.migrations === true;
  return { webhook, operatorApi, workbench, migrations, store: webhook || operatorApi || migrations };
}

/** Environment variables the generated code reads (documented in the summary and the README). */
export const ENV = {
  metricsTokens: 'PARAPET_METRICS_TOKENS',
  webhookTokens: 'PARAPET_WEBHOOK_TOKENS',
  dataDir: 'PARAPET_DATA_DIR',
} as const;

/** Shorter tokens can be guessed: the doctor's production-token check refuses them. */
export const MIN_TOKEN_LENGTH = 16;

/** A random token (32 characters), the command the summary and the doctor print. */
export const MAKE_TOKEN = `node -e "console.log(crypto.randomBytes(24).toString('base64url'))"`;

/**
 * Where the evidence store keeps its embedded database when PARAPET_DATA_DIR is not set: one level
 * below the project (PGlite creates the folder but not its parents), git-ignored by the install.
 */
export const DEFAULT_DATA_DIR = 'parapet-data';

/** Where `parapet gen <target>` writes by default (`parapet/<target>`): generated, git-ignored by the install. */
export const GENERATED_DIR = 'parapet';

export const ADAPTER: Record<FrameworkName, '@parapet/express' | '@parapet/hono'> = {
  express: '@parapet/express',
  hono: '@parapet/hono',
};

export interface PackageSpec {
  readonly name: string;
  /** Version range for registry installs (the peer range the Parapet package declares); undefined: latest. */
  readonly range?: string;
  readonly dev: boolean;
}

/**
 * Every package the generated code and config import. Third-party ranges are the peer ranges of
 * the Parapet package that needs them (prom-client for core, kysely and PGlite for evidence-pg).
 */
export function packagesFor(framework: FrameworkName, features: Partial<Features>): PackageSpec[] {
  const f = normalizeFeatures(features);
  const specs: PackageSpec[] = [
    { name: '@parapet/core', dev: false },
    { name: ADAPTER[framework], dev: false },
    { name: 'prom-client', range: '^15', dev: false },
  ];
  if (f.store) {
    specs.push({ name: '@parapet/evidence-pg', dev: false }, { name: 'kysely', range: '^0.29.5', dev: false }, { name: '@electric-sql/pglite', range: '~0.5.17', dev: false });
  }
  if (f.workbench) specs.push({ name: '@parapet/ui-react', dev: false });
  // The config and the `parapet` command run at build/deploy time only.
  specs.push({ name: '@parapet/cli', dev: true }, { name: '@parapet/starter-pack-web-saas', dev: true });
  return specs;
}
