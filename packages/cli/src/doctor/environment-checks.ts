/**
 * Environment checks: the Node version against what the installed @parapet packages declare, and
 * retired Microsoft Teams connector URLs anywhere a notifier URL can live.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { plural } from '../plural.js';
import { ancestors, lineOf, projectFiles, readPackageJson } from './files.js';
import { error, ok, skip, type Check } from './types.js';

/** Installed @parapet/* manifests, nearest node_modules first (as node resolves them). */
function installedParapetPackages(cwd: string): { name: string; version: string; engines?: string }[] {
  const seen = new Map<string, { name: string; version: string; engines?: string }>();
  for (const dir of ancestors(cwd)) {
    const scope = join(dir, 'node_modules', '@parapet');
    if (!existsSync(scope)) continue;
    for (const name of readdirSync(scope)) {
      const manifest = readPackageJson(join(scope, name));
      if (!manifest || seen.has(manifest.name)) continue;
      seen.set(manifest.name, { name: manifest.name, version: manifest.version, ...(typeof manifest.engines?.node === 'string' ? { engines: manifest.engines.node } : {}) });
    }
  }
  return [...seen.values()];
}

const nodeVersion: Check = {
  id: 'node-version',
  title: 'Node is new enough for the installed Parapet packages',
  group: 'environment',
  async run(context) {
    const packages = installedParapetPackages(context.cwd);
    if (packages.length === 0) return skip('No @parapet packages are installed in this project (node_modules/@parapet).');
    const current = process.versions.node;
    const tooOld = packages.filter((p) => p.engines !== undefined && !semver.satisfies(current, p.engines, { includePrerelease: true }));
    if (tooOld.length === 0) return ok(`Node ${current} satisfies the engines of ${plural(packages.length, 'installed @parapet package')}.`);
    return error(
      `Node ${current} is older than ${plural(tooOld.length, 'installed @parapet package')} need${tooOld.length === 1 ? 's' : ''}: they may fail to load or behave wrongly (Kysely 0.29 and the MCP SDK need Node 22).`,
      `Run the app and the doctor on a Node version every range below accepts (Node 22.12 or newer; 22 and 24 are tested), e.g. with nvm install 24, and set "engines" in your package.json so your platform picks it.`,
      tooOld.map((p) => `${p.name}@${p.version} needs node ${p.engines}`),
    );
  },
};

/**
 * Office 365 connector webhooks (incoming webhooks created under a channel's "Connectors") were
 * retired by Microsoft; such URLs stop delivering. Teams Workflows URLs (…logic.azure.com…,
 * …environment.api.powerplatform.com…) are the replacement.
 */
const RETIRED_TEAMS = /https:\/\/(?:[a-z0-9-]+\.webhook\.office\.com|outlook\.office(?:365)?\.com\/webhook)[^\s'"`)]*/gi;

const teamsConnector: Check = {
  id: 'teams-connector',
  title: 'No retired Microsoft Teams connector URLs',
  group: 'environment',
  async run(context) {
    const hits: string[] = [];
    for (const file of projectFiles(context.cwd)) {
      for (const match of file.text.matchAll(RETIRED_TEAMS)) hits.push(`${file.path}:${lineOf(file.text, match.index)}: ${redactUrl(match[0])}`);
    }
    for (const [name, value] of Object.entries(context.env)) {
      if (value && new RegExp(RETIRED_TEAMS.source, 'i').test(value)) hits.push(`environment variable ${name}`);
    }
    if (hits.length === 0) return ok('No Office 365 connector URLs (webhook.office.com, outlook.office.com/webhook) in the project or its environment.');
    return error(
      `${plural(hits.length, 'retired Microsoft Teams connector URL')} found: Microsoft retired Office 365 connectors, so Teams notifications sent there are lost (teamsNotifier() refuses them at start-up).`,
      'In Teams, create a Workflow from the template "Post to a channel when a webhook request is received", and put its URL where the old one was (teamsNotifier({ name, url })).',
      hits,
    );
  },
};

/** Keeps the host and hides the path (it is a credential). */
function redactUrl(url: string): string {
  const { host } = new URL(url);
  return `https://${host}/…`;
}

export const environmentChecks: readonly Check[] = [nodeVersion, teamsConnector];
