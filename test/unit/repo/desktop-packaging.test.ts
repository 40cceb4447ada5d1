import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/** The Linux packages and the Electron pin, read as text (no Electron binary or builder run needed). */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const read = (file: string): string => readFileSync(resolve(ROOT, file), 'utf8');

function yamlBlock(text: string, key: string): string {
  const start = text.indexOf(`\n${key}:\n`);
  if (start < 0) return '';
  const rest = text.slice(start + key.length + 3);
  const end = rest.search(/\n\S/);
  return end < 0 ? rest : rest.slice(0, end);
}

describe('desktop packaging', () => {
  const builder = read('electron-builder.yml');

  it('follows the 45.x line of Electron from its 45.6.1 security release on', () => {
    const range = (JSON.parse(read('package.json')) as { devDependencies: Record<string, string> }).devDependencies.electron;
    const match = /^~45\.(\d+)\.(\d+)$/.exec(range ?? '');
    expect(match, `electron is pinned as ${range}`).not.toBeNull();
    expect(Number(match![1]) * 1000 + Number(match![2])).toBeGreaterThanOrEqual(6001);
    const lock = JSON.parse(read('package-lock.json')) as { packages: Record<string, { version: string }> };
    expect(lock.packages['node_modules/electron']?.version).toBe(range!.slice(1));
  });

  it('keeps libsecret in the deb dependencies so safeStorage can use the desktop keyring', () => {
    expect(yamlBlock(builder, 'deb')).toMatch(/depends:.*\blibsecret-1-0\b/);
  });

  it('makes chrome-sandbox setuid root only where user namespaces are unavailable', () => {
    const script = read('assets/linux/after-install.sh');
    const lines = script.split('\n');
    const setuid = lines.findIndex((l) => /chmod 4755/.test(l));
    expect(setuid).toBeGreaterThan(0);
    // The setuid chmod sits in the branch taken when `unshare --user` fails.
    const guard = lines.slice(0, setuid).reverse().find((l) => /^\s*(if|else)\b/.test(l));
    expect(guard?.trim()).toBe('else');
    expect(lines.slice(0, setuid).join('\n')).toMatch(/if \[ -L \/proc\/self\/ns\/user \] && unshare --user true/);
    expect(script).toMatch(/apparmor_parser --replace/);
    expect(script).toMatch(/resources\/apparmor-profile/);
    expect(script).toMatch(/\/usr\/bin\/\$EXE/);
  });

  it('removes the udev rule, the AppArmor profile and the link on uninstall, not on upgrade', () => {
    for (const target of ['deb', 'rpm']) expect(yamlBlock(builder, target)).toMatch(/afterRemove: assets\/linux\/after-remove\.sh/);
    const script = read('assets/linux/after-remove.sh');
    expect(script).toMatch(/rm -f \/etc\/udev\/rules\.d\/60-printdeck-xyz\.rules/);
    expect(script).toMatch(/rm -f "\$PROFILE_DST"/);
    expect(script).toMatch(/case "\$1" in upgrade \| 1\) exit 0/);
  });

  it('ships scripts bash can parse, using no ${...} that electron-builder would take for its macros', () => {
    for (const file of ['assets/linux/after-install.sh', 'assets/linux/after-remove.sh']) {
      execFileSync('bash', ['-n', resolve(ROOT, file)]);
      const macros = [...read(file).matchAll(/\$\{([a-zA-Z]+)\}/g)].map((m) => m[1]);
      expect(new Set(macros)).toEqual(new Set(['sanitizedProductName', 'executable']));
    }
  });
});
