import { expect, test as base, type Page } from '@playwright/test';
import { startHost, type PrintdeckHost } from './host-fixture';

/**
 * Klipper via Moonraker end to end: a host started with --demo, the demo Klipper printer opened
 * from its card, a G-code file printed through the page (uploaded to Moonraker with print=true),
 * paused, resumed and cancelled from the generic device page.
 */
const test = base.extend<{ demoHost: PrintdeckHost }>({
  // eslint-disable-next-line no-empty-pattern
  demoHost: async ({}, use) => {
    const host = await startHost({ demo: true });
    await use(host);
    await host.stop();
  },
});

const PRINTER = 'Klipper Voron 2.4';

/** Long enough to still be printing when it is cancelled (the demo prints 400 bytes per simulated second). */
function gcode(): string {
  const lines = ['; e2e part for Klipper', 'M140 S60', 'M104 S205'];
  for (let i = 0; i < 4000; i++) lines.push(`G1 X${i % 80} Y${(i * 7) % 80} E${(i / 10).toFixed(2)} F3000`);
  return lines.join('\n') + '\n';
}

async function openPrinter(page: Page, host: PrintdeckHost): Promise<string> {
  await page.goto(host.openUrl);
  const card = page.getByRole('article', { name: PRINTER });
  await expect(card).toBeVisible({ timeout: 30_000 });
  await expect(card).toContainText('Ready', { timeout: 30_000 });
  await card.getByRole('heading').getByRole('link').click();
  await expect(page).toHaveURL(/#\/devices\/moonraker%3A|#\/devices\/moonraker:/);
  return decodeURIComponent(page.url().split('#/devices/')[1] ?? '');
}

test('print, pause, resume and cancel on the demo Klipper printer', async ({ page, demoHost }) => {
  test.setTimeout(180_000);
  const deviceId = await openPrinter(page, demoHost);
  const state = async () => (await demoHost.api<{ deviceId: string; state: string }[]>('devices.list')).find((d) => d.deviceId === deviceId)?.state;

  await page.getByRole('button', { name: 'Print a file…' }).click();
  await page.getByLabel('File to print').setInputFiles({ name: 'e2e-klipper.gcode', mimeType: 'text/plain', buffer: Buffer.from(gcode()) });
  // Nothing prints without a confirmation naming the file and the printer.
  await page.getByRole('dialog', { name: /^Print e2e-klipper\.gcode on / }).getByRole('button', { name: /^Print( anyway)?$/ }).click();
  const progress = page.getByRole('progressbar', { name: `${PRINTER} print progress` });
  await expect(progress).toBeVisible({ timeout: 60_000 });
  await expect.poll(async () => Number(await progress.getAttribute('aria-valuenow')), { timeout: 90_000 }).toBeGreaterThan(0);
  // Temperatures from the subscribed heaters.
  await expect(page.getByText(/→ 205 °C/).first()).toBeVisible({ timeout: 30_000 });

  await page.getByRole('button', { name: 'Pause' }).click();
  await expect.poll(state, { timeout: 30_000 }).toBe('paused');
  await page.getByRole('button', { name: 'Resume' }).click();
  await expect.poll(state, { timeout: 30_000 }).toBe('printing');
  // The page asks before cancelling a print.
  await page.getByRole('button', { name: 'Cancel print' }).click();
  await page.getByRole('dialog', { name: /^Stop the print on / }).getByRole('button', { name: 'Stop print' }).click();
  await expect.poll(state, { timeout: 30_000 }).toBe('idle');
});
