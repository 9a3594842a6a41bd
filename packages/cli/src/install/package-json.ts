/** The package.json edit: scripts only (the package manager adds the dependencies itself). */

/** The scripts `parapet install` adds; existing scripts of the same name are left alone. */
export const SCRIPTS: Readonly<Record<string, string>> = {
  'parapet:gen': 'parapet gen prometheus && parapet gen alertmanager && parapet gen grafana',
};

/**
 * `text` with the missing scripts added, in the file's own indentation, or undefined when none is
 * missing. Throws (JSON.parse's SyntaxError) on a package.json that is not JSON.
 */
export function addScripts(text: string): { text: string; added: string[] } | undefined {
  const manifest = JSON.parse(text) as { scripts?: Record<string, string> };
  const added = Object.keys(SCRIPTS).filter((name) => manifest.scripts?.[name] === undefined);
  if (added.length === 0) return undefined;
  manifest.scripts = { ...manifest.scripts, ...Object.fromEntries(added.map((name) => [name, SCRIPTS[name]!])) };
  const indent = /^[ \t]+(?=")/m.exec(text)?.[0] ?? '  ';
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const out = JSON.stringify(manifest, null, indent).replace(/\n/g, eol) + (text.endsWith('\n') ? eol : '');
  return { text: out, added };
}
