import { expect, test as base } from '@playwright/test';
import { startHost, type PrintdeckHost } from './host-fixture';

/**
 * The print queue end to end: two demo da Vinci printers tagged "farm" on the Queue screen, three
 * files queued for "printers tagged farm"; both printers take one, the third waits for a cleared
 * bed; "Bed cleared" on the device page of the printer that finished starts it there. The history
 * then lists the prints.
 */
const test = base.extend<{ demoHost: PrintdeckHost }>({
  // eslint-disable-next-line no-empty-pattern
  demoHost: async ({}, use) => {
    const host = await startHost({ demo: true });
    await use(host);
    await host.stop();
  },
});

const FARM = ['da Vinci mini w (demo)', 'da Vinci Jr. 1.0w (demo)'];

function gcode(seconds: number): Buffer {
  const lines = [';FLAVOR:Marlin', `;TIME:${seconds}`, 'G21', 'G90', 'M82', 'M104 S205'];
  for (let i = 0; i < 200; i++) lines.push(`G1 X${i % 80} Y${(i * 7) % 80} E${(i / 10).toFixed(2)} F3000`);
  return Buffer.from(lines.join('\n') + '\n');
}

test('queue three files for two tagged printers, clear a bed, the third starts', async ({ page, demoHost }) => {
  test.setTimeout(180_000);
  await page.goto(demoHost.openUrl);
  for (const name of FARM) await expect(page.getByRole('article', { name })).toContainText('Idle', { timeout: 60_000 });

  await page.getByRole('link', { name: 'Queue' }).click();
  await expect(page.getByRole('heading', { name: 'Print queue', level: 1 })).toBeVisible();
  for (const name of FARM) {
    const tags = page.getByLabel(`Tags of ${name}, separated by commas`);
    await tags.fill('farm');
    await tags.blur();
  }
  await expect(page.getByRole('combobox', { name: /Print on/ })).toContainText('Printers tagged “farm”');
  await page.getByRole('combobox', { name: /Print on/ }).selectOption('tag:farm');
  await page.getByLabel('Files to queue').setInputFiles([
    { name: 'first.gcode', mimeType: 'text/plain', buffer: gcode(30) },
    { name: 'second.gcode', mimeType: 'text/plain', buffer: gcode(30) },
    { name: 'third.gcode', mimeType: 'text/plain', buffer: gcode(30) },
  ]);
  const rows = page.getByTestId('queue-row');
  await expect(rows).toHaveCount(3, { timeout: 30_000 });
  await expect(rows.filter({ hasText: 'Printing' })).toHaveCount(2, { timeout: 60_000 });
  const third = rows.filter({ hasText: 'third.gcode' });
  await expect(third).toContainText('Waiting');

  // A print finishes; its printer waits for the bed to be cleared.
  const done = rows.filter({ hasText: 'Done' }).first();
  await expect(done).toBeVisible({ timeout: 90_000 });
  await expect(third).toContainText('has not been cleared', { timeout: 30_000 });
  const finished = (await done.innerText()).includes(FARM[0]!) ? FARM[0]! : FARM[1]!;

  await page.getByRole('link', { name: 'Devices' }).click();
  await page.getByRole('article', { name: finished }).getByRole('heading').getByRole('link').click();
  await page.getByRole('button', { name: 'Bed cleared' }).click();

  await page.getByRole('link', { name: 'Queue' }).click();
  await expect(page.getByTestId('queue-row').filter({ hasText: 'third.gcode' })).toContainText(`on ${finished}`, {
    timeout: 60_000,
  });

  await page.getByRole('link', { name: 'History' }).click();
  await expect(page.getByRole('table')).toContainText('first.gcode', { timeout: 30_000 });
});
