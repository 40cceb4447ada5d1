import { expect, test as base } from '@playwright/test';
import { startHost, type PrintdeckHost } from './host-fixture';

/**
 * One file to several printers from the fleet's multi-select, on a small lab (8 simulated
 * printers: OctoPrint, Klipper and a da Vinci). The file is picked once; the confirmation says
 * which printers print it, which are busy (queue it there instead) and which are skipped and why;
 * each printer then shows its own result.
 */
const test = base.extend<{ lab: PrintdeckHost }>({
  // eslint-disable-next-line no-empty-pattern
  lab: async ({}, use) => {
    const host = await startHost();
    await host.api('demo.start', { printers: 8 });
    await use(host);
    await host.stop();
  },
});

test.use({ viewport: { width: 1400, height: 1000 } });

// The lab's first eight printers, as its plan names them (sim/demo/scale-plan.ts).
const IDLE = ['Ender 3 V2 #1', 'RatRig V-Core 3 #1'];
const BUSY = 'Prusa MK4 #1';
const TOO_SMALL = 'da Vinci Jr. 1.0w #1';

/** A part 200 mm wide: more than the Jr.'s 150 mm bed; the OctoPrint and Klipper printers say no size. */
function wideGcode(): Buffer {
  const lines = [';FLAVOR:Marlin', ';TIME:1200', 'G21', 'G90', 'M82', 'M104 S205'];
  for (let i = 0; i < 200; i++) lines.push(`G1 X${(i * 13) % 200} Y${(i * 7) % 80} Z${(0.2 + i / 1000).toFixed(3)} E${(i / 10).toFixed(2)} F3000`);
  return Buffer.from(lines.join('\n') + '\n');
}

test('select four printers and send one file: two print, one is queued, one is skipped as too small', async ({ page, lab }) => {
  test.setTimeout(180_000);
  await page.goto(lab.openUrl);
  // Each family says "idle" in its own words ("Operational", "Ready"): the card's state class is the shared one.
  for (const name of IDLE) await expect(page.getByRole('article', { name })).toHaveClass(/state-idle/, { timeout: 90_000 });
  await expect(page.getByRole('article', { name: BUSY })).toHaveClass(/state-printing/, { timeout: 60_000 });
  await expect(page.getByRole('article', { name: TOO_SMALL })).toBeVisible();

  for (const name of [...IDLE, BUSY, TOO_SMALL]) await page.getByRole('checkbox', { name: `Select ${name}` }).check();
  const bar = page.getByRole('region', { name: 'Selected printers' });
  await bar.getByRole('button', { name: 'Send a file… (4)' }).click();
  await page.getByLabel('File to send to the selected printers').setInputFiles({ name: 'wide-part.gcode', mimeType: 'text/plain', buffer: wideGcode() });

  const dialog = page.getByRole('dialog', { name: /Print wide-part.gcode on 2 printers and queue it on 1/ });
  await expect(dialog).toBeVisible({ timeout: 30_000 });
  await expect(dialog.getByRole('region', { name: 'Will print' }).getByRole('listitem')).toHaveText(IDLE);
  await expect(dialog.getByRole('region', { name: 'Skipped' })).toContainText(new RegExp(`${TOO_SMALL}: Too big for ${TOO_SMALL}: X \\d+ mm > 150 mm`));
  await expect(dialog.getByRole('checkbox', { name: `Queue on ${BUSY} instead` })).toBeChecked();

  await dialog.getByRole('button', { name: 'Print on 2, queue on 1' }).click();
  const results = page.getByRole('list', { name: 'Result per printer' });
  for (const name of IDLE) await expect(results.getByRole('listitem').filter({ hasText: name })).toContainText('Printing: the printer took the file.', { timeout: 60_000 });
  await expect(results.getByRole('listitem').filter({ hasText: BUSY })).toContainText('Queued');
  await expect(results.getByRole('listitem').filter({ hasText: TOO_SMALL })).toContainText('Skipped: Too big');
  await expect(page.getByRole('status').filter({ hasText: 'printing' })).toHaveText('2 printing, 1 queued, 1 skipped');

  // The idle printers print the file; the queue holds it for the busy one.
  for (const name of IDLE) await expect(page.getByRole('article', { name })).toContainText('wide-part.gcode', { timeout: 60_000 });
  const queue = await lab.api<{ jobs: { fileName: string; target: { kind: string }; deviceName: string | null }[] }>('queue.list', {});
  expect(queue.jobs.map((j) => [j.fileName, j.target.kind])).toEqual([['wide-part.gcode', 'printer']]);
});
