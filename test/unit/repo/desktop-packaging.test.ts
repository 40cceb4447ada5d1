import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { printerBoardOf, PRINTER_BOARDS, PRUSA_VID } from '../../../src/main/printers/marlin/usb-boards';

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
    expect(script).toMatch(/rm -f \/etc\/udev\/rules\.d\/60-printdeck-serial\.rules/);
    // The name versions before the Marlin boards installed it under.
    expect(script).toMatch(/rm -f .*\/etc\/udev\/rules\.d\/60-printdeck-xyz\.rules/);
    expect(script).toMatch(/rm -f "\$PROFILE_DST"/);
    expect(script).toMatch(/case "\$1" in upgrade \| 1\) exit 0/);
  });

  it('installs the udev rule electron-builder ships, in place of the older da Vinci-only name', () => {
    expect(builder).toMatch(/- from: assets\/linux\/60-printdeck-serial\.rules\n\s+to: linux\/60-printdeck-serial\.rules/);
    const script = read('assets/linux/after-install.sh');
    expect(script).toMatch(/RULE_SRC="\$APP_DIR\/resources\/linux\/60-printdeck-serial\.rules"/);
    expect(script).toMatch(/cp "\$RULE_SRC" \/etc\/udev\/rules\.d\/60-printdeck-serial\.rules/);
    expect(script).toMatch(/rm -f \/etc\/udev\/rules\.d\/60-printdeck-xyz\.rules/);
  });

  it('lets the desktop user open da Vinci printers and every board discovery offers as a Marlin printer', () => {
    const rules = read('assets/linux/60-printdeck-serial.rules')
      .split('\n')
      .filter((l) => l.trim() !== '' && !l.startsWith('#'))
      .map((l) => {
        expect(l).toMatch(/^SUBSYSTEM=="tty", .*MODE="0660", TAG\+="uaccess"$/);
        return { vendor: /ATTRS\{idVendor\}=="([0-9a-f]{4})"/.exec(l)?.[1], product: /ATTRS\{idProduct\}=="([0-9a-f]{4})"/.exec(l)?.[1] ?? null };
      });
    const covers = (vid: string, pid: string): boolean => rules.some((r) => r.vendor === vid && (r.product === null || r.product === pid));
    expect(covers('11f1', '0001')).toBe(true);
    for (const id of Object.keys(PRINTER_BOARDS)) expect(covers(id.slice(0, 4), id.slice(5)), id).toBe(true);
    expect(covers(PRUSA_VID, '0001')).toBe(true);
    // No other USB-serial chip of these vendors (a CP2102, an ST-Link) is opened up.
    expect(covers('10c4', 'ea60')).toBe(false);
    expect(covers('0483', '374b')).toBe(false);
    for (const r of rules.filter((r) => r.product !== null)) expect(printerBoardOf({ path: '/dev/ttyUSB0', vendorId: r.vendor, productId: r.product! })).not.toBeNull();
  });

  it('ships scripts bash can parse, using no ${...} that electron-builder would take for its macros', () => {
    for (const file of ['assets/linux/after-install.sh', 'assets/linux/after-remove.sh']) {
      execFileSync('bash', ['-n', resolve(ROOT, file)]);
      const macros = [...read(file).matchAll(/\$\{([a-zA-Z]+)\}/g)].map((m) => m[1]);
      expect(new Set(macros)).toEqual(new Set(['sanitizedProductName', 'executable']));
    }
  });
});
