import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * A clone of Printdeck must need nothing beside it: no code, test, benchmark, simulator, script, CI step,
 * proto or doc may read a file outside the checkout or point a reader to one. Data the project needs lives
 * in the repository (test/fixtures/, with a README saying where it came from).
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const CHECKED = ['src', 'test', 'e2e', 'bench', 'sim', 'scripts', '.ci', 'proto', 'docs', 'bin', 'assets'];
const CHECKED_FILES = ['README.md', 'package.json', 'vitest.config.ts', 'playwright.config.ts', 'eslint.config.mjs'];
const TEXT = /\.(ts|tsx|js|mjs|cjs|json|md|proto|yml|yaml|sh|rules|html|css)$|(^|\/)run$/;

// Assembled from parts so that this file does not match its own patterns.
const SHARED = 'shared';
const FORBIDDEN: Array<{ pattern: RegExp; why: string }> = [
  { pattern: new RegExp(`${SHARED}/(specs|fixtures|seeds|design|hooks)\\b`), why: 'names the reading material beside the checkout' },
  { pattern: new RegExp(`/${'work'}/`), why: 'an absolute path of one machine' },
  { pattern: new RegExp(`\\bspecs/[\\w-]+\\.md\\b`), why: 'points to a spec outside the repository' },
  { pattern: new RegExp(`\\bseeds/\\d{3}_`), why: 'points to a seed outside the repository' },
  // Section marks cite the reading material; the fact is stated where it is used instead.
  { pattern: new RegExp(`${'§'}\\s?\\d`), why: 'cites a section of a document outside the repository' },
];

/** Relative path literals (imports, `new URL('../..', import.meta.url)`, `path.resolve(dir, '../x')`). */
const RELATIVE_LITERAL = /['"`]((?:\.\.\/)+[^'"`\s$]*)['"`]/g;

function trackedFiles(): string[] {
  if (existsSync(join(ROOT, '.git'))) {
    const out = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard', '--', ...CHECKED, ...CHECKED_FILES], {
      cwd: ROOT,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    return out.split('\0').filter((file) => file && existsSync(join(ROOT, file)));
  }
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(join(ROOT, dir))) {
      const rel = dir ? `${dir}/${name}` : name;
      if (name === 'node_modules' || name === 'gen') continue;
      if (statSync(join(ROOT, rel)).isDirectory()) walk(rel);
      else files.push(rel);
    }
  };
  for (const dir of CHECKED) if (existsSync(join(ROOT, dir))) walk(dir);
  return [...files, ...CHECKED_FILES.filter((file) => existsSync(join(ROOT, file)))];
}

export function findOutsideReferences(file: string, text: string): string[] {
  const found: string[] = [];
  const lines = text.split('\n');
  lines.forEach((line, index) => {
    for (const { pattern, why } of FORBIDDEN) if (pattern.test(line)) found.push(`${file}:${index + 1}: ${why}: ${line.trim()}`);
    for (const match of line.matchAll(RELATIVE_LITERAL)) {
      const target = resolve(ROOT, dirname(file), match[1] ?? '');
      const inside = relative(ROOT, target);
      if (inside.startsWith('..') || inside.split(sep)[0] === '..') {
        found.push(`${file}:${index + 1}: leaves the checkout (${match[1]}): ${line.trim()}`);
      }
    }
  });
  return found;
}

describe('the repository stands alone', () => {
  it('recognises references that leave the checkout', () => {
    expect(findOutsideReferences('test/unit/x/a.test.ts', `const u = new URL('../../../../${SHARED}/x.json', import.meta.url);`)).toHaveLength(1);
    expect(findOutsideReferences('bench/a.ts', `resolve(here, '..', '${SHARED}/fixtures/xyz')`)).toHaveLength(1);
    expect(findOutsideReferences('proto/a.proto', `// from ${'specs'}/armory-imss.md`)).toHaveLength(1);
    expect(findOutsideReferences('src/a.ts', `// the upload rule (spec ${'§'}3.9)`)).toHaveLength(1);
    expect(findOutsideReferences('src/main/chat/a.ts', `import { x } from '../../shared/bytes';`)).toEqual([]);
    expect(findOutsideReferences('test/unit/a.test.ts', `new URL('../../fixtures/xyz/a.3w', import.meta.url)`)).toEqual([]);
  });

  it('has no file that reads or points outside the checkout', () => {
    const offenders: string[] = [];
    const files = trackedFiles().filter((file) => TEXT.test(file) && !file.startsWith('test/fixtures/'));
    expect(files.length).toBeGreaterThan(100);
    for (const file of files) offenders.push(...findOutsideReferences(file, readFileSync(join(ROOT, file), 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('keeps a README beside every folder of copied data', () => {
    const fixtures = join(ROOT, 'test/fixtures');
    for (const name of readdirSync(fixtures)) {
      if (statSync(join(fixtures, name)).isDirectory()) expect(existsSync(join(fixtures, name, 'README.md')), name).toBe(true);
    }
  });
});
