/**
 * Finds every shell command the docs show a reader: lines of ```sh/bash/shell/console blocks,
 * `$ `-prompted lines of output samples, and inline code spans that start with a command
 * (`npm run demo`). Each keeps where it came from and the heading it sits under, so a check can
 * allow contributor-only tools (pnpm) in sections marked as contributing.
 */
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface DocCommand {
  /** Repository-relative file, or a label such as `demo startup output`. */
  readonly source: string;
  readonly line: number;
  /** The nearest heading above it ('' before the first). */
  readonly heading: string;
  /** The command line as printed (continuations joined, trailing `# comment` removed). */
  readonly text: string;
  /** From a `$ ` line in an output sample: shown with its output, not meant to be pasted as a block. */
  readonly sample: boolean;
}

/** Every Markdown file a user reads: root README, docs/, and every package's README. */
export function userDocs(root: string): string[] {
  const files = ['README.md'];
  for (const name of readdirSync(join(root, 'docs'))) if (name.endsWith('.md')) files.push(`docs/${name}`);
  for (const group of ['packages', 'integrations', 'starter-packs', 'apps', 'tooling']) {
    if (!existsSync(join(root, group))) continue;
    for (const name of readdirSync(join(root, group))) {
      if (existsSync(join(root, group, name, 'README.md'))) files.push(`${group}/${name}/README.md`);
    }
  }
  return files.sort();
}

/**
 * First words that make an inline code span a command to paste (`npm run demo`). Spans naming a
 * tool in prose (`parapet gen`, `promtool check rules`) are names, not commands.
 */
const COMMAND_WORDS = /^(?:npm|npx|pnpm|yarn|bun|node|curl|\.ci\/run)\s/;
const SHELL_LANGS = new Set(['sh', 'bash', 'shell', 'console', 'zsh']);

export function commandsIn(text: string, source: string): DocCommand[] {
  const lines = text.split('\n');
  const found: DocCommand[] = [];
  let heading = '';
  let fence: { lang: string } | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const open = /^```(\S*)/.exec(line);
    if (open) {
      fence = fence ? undefined : { lang: open[1]! };
      continue;
    }
    if (!fence) {
      const h = /^#{1,6}\s+(.*)$/.exec(line);
      if (h) heading = h[1]!.trim();
      for (const span of line.matchAll(/`([^`]+)`/g)) {
        const code = span[1]!.trim();
        if (COMMAND_WORDS.test(`${code} `) && !code.includes('…')) found.push({ source, line: i + 1, heading, text: code, sample: false });
      }
      continue;
    }
    if (SHELL_LANGS.has(fence.lang)) {
      let command = line;
      const start = i;
      while (command.endsWith('\\') && i + 1 < lines.length) command = `${command.slice(0, -1)} ${lines[++i]!.trim()}`;
      const stripped = stripComment(command.replace(/^\$\s+/, '')).trim();
      if (stripped !== '') found.push({ source, line: start + 1, heading, text: stripped, sample: false });
    } else if (/^\$\s/.test(line)) {
      found.push({ source, line: i + 1, heading, text: stripComment(line.slice(2)).trim(), sample: true });
    }
  }
  return found;
}

/** Removes a trailing `# comment` that is not inside quotes. */
function stripComment(line: string): string {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]!))) return line.slice(0, i);
  }
  return line;
}

/** Splits a command line into simple commands at `&&`, `||`, `|` and `;` (outside quotes), as words. */
export function simpleCommands(line: string): string[][] {
  const commands: string[][] = [];
  let words: string[] = [];
  let word = '';
  let quote: string | undefined;
  let quoted = false;
  const endWord = () => {
    if (word !== '' || quoted) words.push(word);
    word = '';
    quoted = false;
  };
  const endCommand = () => {
    endWord();
    if (words.length > 0) commands.push(words);
    words = [];
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else word += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      quoted = true;
    } else if (/\s/.test(c)) endWord();
    else if (c === '|' || c === ';' || (c === '&' && line[i + 1] === '&')) {
      if (line[i + 1] === c) i++;
      endCommand();
    } else word += c;
  }
  endCommand();
  return commands;
}

export function docCommands(root: string): DocCommand[] {
  return userDocs(root).flatMap((doc) => commandsIn(readFileSync(join(root, doc), 'utf8'), relative(root, join(root, doc))));
}
