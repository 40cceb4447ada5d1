import { expect, startHost, test, type PrintdeckHost } from './host-fixture';

const NAME = 'OctoPrint Voron';

function gcode(): Buffer {
  const lines = ['; e2e part', 'M140 S55', 'M104 S200', 'G28'];
  for (let i = 0; i < 400; i++) lines.push(`G1 X${i % 40} Y${(i * 7) % 40} Z${(0.2 * Math.floor(i / 40)).toFixed(2)} E${(i * 0.02).toFixed(2)}`);
  return Buffer.from(lines.join('\n') + '\n');
}

let host: PrintdeckHost;
test.beforeEach(async () => {
  host = await startHost({ demo: true });
});
test.afterEach(async () => {
  await host.stop();
});

test('pair a demo OctoPrint, upload and print, see progress and temperatures', async ({ page, context }) => {
  test.setTimeout(120_000);
  await page.goto(host.openUrl);
  await page.getByRole('navigation', { name: 'Main' }).waitFor();

  // Pairing: the unpaired demo server approves requests after a few seconds.
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('button', { name: `Pair ${NAME}`, exact: true }).click();
  const dialog = page.getByRole('region', { name: `Pair ${NAME}` });
  const popup = context.waitForEvent('page');
  await dialog.getByRole('button', { name: 'Pair with OctoPrint' }).click();
  // The approval page opens in a new window (the system browser in the desktop app).
  await expect((await popup).getByRole('button', { name: 'Allow' })).toBeVisible();
  await expect(dialog.getByRole('status')).toContainText('Approve Printdeck');
  await expect(dialog.getByRole('status')).toContainText('Paired', { timeout: 20_000 });
  await dialog.getByRole('button', { name: 'Done' }).click();
  await expect(page.getByRole('list', { name: 'Connections' })).toContainText(`${NAME}`);
  await expect(page.getByRole('button', { name: `Pair again ${NAME}` })).toBeVisible();

  // The paired server shows up as a printer; open its page.
  await page.getByRole('link', { name: 'Devices' }).click();
  const card = page.getByRole('article', { name: NAME });
  await expect(card).toContainText('Operational', { timeout: 20_000 });
  await card.getByRole('heading').getByRole('link').click();
  await expect(page).toHaveURL(/#\/devices\/octoprint(:|%3A)/);

  // Upload a G-code file to the server's list (browser: staged through the API), then print it.
  await page.getByLabel('G-code file to upload to OctoPrint').setInputFiles({ name: 'e2e-part.gcode', mimeType: 'text/plain', buffer: gcode() });
  await expect(page.getByRole('progressbar', { name: `${NAME} server upload progress` })).toHaveAttribute('aria-valuenow', '100', { timeout: 20_000 });
  const files = page.getByRole('table');
  await expect(files).toContainText('e2e-part.gcode');
  await page.getByRole('button', { name: 'Print e2e-part.gcode' }).click();

  const progress = page.getByRole('progressbar', { name: `${NAME} print progress` });
  await expect(progress).toBeVisible({ timeout: 20_000 });
  await expect
    .poll(async () => Number((await progress.getAttribute('aria-valuenow')) ?? 0), { timeout: 30_000 })
    .toBeGreaterThan(0);
  // Temperatures: the heaters head for the targets in the G-code.
  await expect(page.getByText(/→ 200 °C/).first()).toBeVisible({ timeout: 20_000 });
  // The terminal streams the serial log.
  await expect(page.getByRole('log', { name: `${NAME} terminal` })).toContainText('Send: N', { timeout: 20_000 });
  // This server has a webcam set up: its page offers a snapshot.
  await expect(page.getByRole('button', { name: 'Take snapshot' })).toBeVisible();

  // Cancelled, OctoPrint keeps the file selected with no progress: the page shows no job and no bar.
  await page.getByRole('button', { name: 'Cancel print' }).click();
  await page.getByRole('dialog', { name: /^Stop the print on / }).getByRole('button', { name: 'Stop print' }).click();
  const job = page.getByRole('region', { name: 'Job' });
  await expect(job).toContainText('No print running.', { timeout: 20_000 });
  await expect(page.getByRole('progressbar', { name: `${NAME} print progress` })).toHaveCount(0);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Devices' }).click();
  await expect(page.getByRole('article', { name: NAME })).toContainText('Operational');
  await expect(page.getByRole('article', { name: NAME }).getByRole('progressbar')).toHaveCount(0);

  // A server without a webcam (1.11's defaults: canSnapshot false) offers no snapshot.
  const ender = page.getByRole('article', { name: 'OctoPrint Ender 3' });
  await expect(ender).toContainText(/Operational|Printing/, { timeout: 20_000 });
  await ender.getByRole('heading').getByRole('link').click();
  await expect(page.getByRole('region', { name: 'Job' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Camera' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Take snapshot' })).toHaveCount(0);
});
