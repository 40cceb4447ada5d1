import { expect, test as base, type Page } from '@playwright/test';
import { startHost, type PrintdeckHost } from './host-fixture';

/**
 * da Vinci end to end: a host started with --demo, a demo da Vinci opened from its card, a G-code
 * file printed through the page's file input and followed to done, and a second print cancelled.
 * Written against the accessible names of the generic device page (see the brief): article cards
 * labelled with the printer name, "Print a file…", "File to print", "Pause", "Resume",
 * "Cancel print", and the "<name> print progress" / "<name> upload progress" bars.
 */
const test = base.extend<{ demoHost: PrintdeckHost }>({
  // eslint-disable-next-line no-empty-pattern
  demoHost: async ({}, use) => {
    const host = await startHost({ demo: true });
    await use(host);
    await host.stop();
  },
});

const PRINTER = 'da Vinci mini w (demo)';

/** A short print: at the demo time scale it heats and prints in well under a minute. */
function gcode(seconds: number): string {
  const lines = [';FLAVOR:Marlin', `;TIME:${seconds}`, ';LAYER_COUNT:5', 'G21', 'G90', 'M82', 'M104 S205'];
  for (let i = 0; i < 400; i++) lines.push(`G1 X${i % 80} Y${(i * 7) % 80} E${(i / 10).toFixed(2)} F3000`);
  return lines.join('\n') + '\n';
}

async function openPrinter(page: Page, host: PrintdeckHost): Promise<string> {
  await page.goto(host.openUrl);
  const card = page.getByRole('article', { name: PRINTER });
  await expect(card).toBeVisible({ timeout: 30_000 });
  await card.getByRole('heading').getByRole('link').click();
  await expect(page).toHaveURL(/#\/devices\/xyz%3A|#\/devices\/xyz:/);
  return decodeURIComponent(page.url().split('#/devices/')[1] ?? '');
}

/** Through the ordinary file chooser, then the confirmation naming the file and the printer. */
async function printThroughPage(page: Page, name: string, seconds: number, header = ''): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Print a file…' }).click();
  await (await chooser).setFiles({ name, mimeType: 'text/plain', buffer: Buffer.from(header + gcode(seconds)) });
  const confirm = page.getByRole('dialog', { name: `Print ${name} on ${PRINTER}?` });
  await expect(confirm).toBeVisible({ timeout: 30_000 });
  await confirm.getByRole('button', { name: /^Print( anyway)?$/ }).click();
  await expect(confirm).toBeHidden();
}

test('print a file on a demo da Vinci and watch it to done; cancel a second one', async ({ page, demoHost }) => {
  test.setTimeout(180_000);
  const deviceId = await openPrinter(page, demoHost);
  expect(deviceId).toMatch(/^xyz:/);

  await printThroughPage(page, 'e2e-cube.gcode', 600);
  const progress = page.getByRole('progressbar', { name: `${PRINTER} print progress` });
  await expect(progress).toBeVisible({ timeout: 60_000 });
  await expect(page.getByRole('button', { name: 'Pause' })).toBeEnabled({ timeout: 60_000 });
  await expect.poll(async () => Number(await progress.getAttribute('aria-valuenow')), { timeout: 90_000 }).toBeGreaterThan(0);
  await expect
    .poll(async () => ((await demoHost.api<{ deviceId: string; state: string }[]>('devices.list')).find((d) => d.deviceId === deviceId)?.state), { timeout: 120_000 })
    .toBe('done');

  // Second print: long enough to still be running when it is cancelled from the page.
  await printThroughPage(page, 'e2e-long.gcode', 100_000);
  await expect(page.getByRole('button', { name: 'Pause' })).toBeEnabled({ timeout: 60_000 });
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByRole('button', { name: 'Resume' })).toBeEnabled({ timeout: 30_000 });
  await page.getByRole('button', { name: 'Resume' }).click();
  // The page asks before cancelling a print, in words: [Keep printing] keeps it.
  await page.getByRole('button', { name: 'Cancel print' }).click();
  await page.getByRole('dialog', { name: `Stop the print on ${PRINTER}?` }).getByRole('button', { name: 'Keep printing' }).click();
  await expect(page.getByRole('button', { name: 'Pause' })).toBeEnabled();
  await page.getByRole('button', { name: 'Cancel print' }).click();
  await page.getByRole('dialog', { name: `Stop the print on ${PRINTER}?` }).getByRole('button', { name: 'Stop print' }).click();
  await expect
    .poll(async () => ((await demoHost.api<{ deviceId: string; state: string }[]>('devices.list')).find((d) => d.deviceId === deviceId)?.state), { timeout: 30_000 })
    .toBe('idle');
});

test('a file sliced for another model is named in the confirmation, and [Don’t print] sends nothing', async ({ page, demoHost }) => {
  test.setTimeout(90_000);
  const deviceId = await openPrinter(page, demoHost);
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Print a file…' }).click();
  await (await chooser).setFiles({ name: 'jr-benchy.gcode', mimeType: 'text/plain', buffer: Buffer.from(';MACHINE_NAME:XYZprinting da Vinci Jr. 1.0w\n' + gcode(60)) });
  const confirm = page.getByRole('dialog', { name: `Print jr-benchy.gcode on ${PRINTER}?` });
  await expect(confirm.getByRole('alert')).toContainText('sliced for XYZprinting da Vinci Jr. 1.0w (Cura)');
  await expect(confirm.getByRole('button', { name: 'Print anyway' })).toBeVisible();
  await confirm.getByRole('button', { name: 'Don’t print' }).click();
  await expect(confirm).toBeHidden();
  const transfers = await demoHost.api<{ deviceId: string }[]>('printers.transfers');
  expect(transfers.filter((t) => t.deviceId === deviceId)).toEqual([]);
});

test('while the host is lost the page says it is not current and its controls wait', async ({ page, demoHost }) => {
  test.setTimeout(120_000);
  await openPrinter(page, demoHost);
  await printThroughPage(page, 'e2e-stale.gcode', 100_000);
  const pause = page.getByRole('button', { name: 'Pause' });
  await expect(pause).toBeEnabled({ timeout: 60_000 });
  await demoHost.stop();
  await expect(page.getByText('Not current')).toBeVisible({ timeout: 15_000 });
  await expect(pause).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Cancel print' })).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Print a file…' })).toBeDisabled();
});

test('the API path: stage a file, print it, and cancel the print', async ({ demoHost }) => {
  test.setTimeout(120_000);
  let devices: { deviceId: string; name: string; link: string; state: string }[] = [];
  await expect
    .poll(async () => {
      devices = await demoHost.api('devices.list');
      return devices.find((d) => d.name === PRINTER)?.link;
    }, { timeout: 30_000 })
    .toBe('online');
  const device = devices.find((d) => d.name === PRINTER)!;
  const data = Buffer.from(gcode(100_000));
  // A staged file belongs to the socket that staged it, so the staging and the print share one.
  const session = await demoHost.session();
  const { stagedId } = await session.call<{ stagedId: string }>('files.stageBegin', { name: 'api.gcode', size: data.length });
  await session.call('files.stageChunk', { stagedId, offset: 0, dataBase64: data.toString('base64') });
  await session.call('files.stageFinish', { stagedId });
  expect(await session.call<{ verdict: string }>('printers.checkFile', { deviceId: device.deviceId, file: { kind: 'staged', stagedId } })).toMatchObject({ verdict: 'unknown' });
  await session.call('printers.print', { deviceId: device.deviceId, file: { kind: 'staged', stagedId } });
  await expect
    .poll(async () => (await demoHost.api<{ phase: string }[]>('printers.transfers'))[0]?.phase, { timeout: 60_000 })
    .toBe('done');
  session.close();
  await demoHost.api('printers.cancel', { deviceId: device.deviceId });
  await expect
    .poll(async () => (await demoHost.api<{ deviceId: string; state: string }[]>('devices.list')).find((d) => d.deviceId === device.deviceId)?.state, { timeout: 30_000 })
    .toBe('idle');
});
