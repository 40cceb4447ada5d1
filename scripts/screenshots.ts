import path from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { startHost, type PrintdeckHost } from '../e2e/browser/host-fixture';

/**
 * Renders the README's lab screenshots from the real app: `npx electron-vite build && npx tsx
 * scripts/screenshots.ts` starts `printdeck serve --demo --demo-printers 1000`, opens it in
 * Chromium (PRINTDECK_CHROMIUM, else /usr/bin/chromium) and writes
 *   docs/screenshots/fleet-1000.png   the Devices screen at 1,000: rooms, a filter, three selected
 *   docs/screenshots/camera-wall.png  the camera wall
 * Each is taken once what it shows has settled (printers connected, pictures in), not after a delay.
 */

const OUT = path.resolve(__dirname, '../docs/screenshots');
const PRINTERS = 1000;
const ROOMS = ['Room 1', 'Room 2', 'Room 3', 'Room 4', 'Workshop'];
const PATIENCE_MS = 120_000;
const VIEWPORT = { width: 1280, height: 960 };

interface Device {
  deviceId: string;
  name: string;
  family: string;
  state: string;
}

/** Every printer in a room, by name order, the way a lab lays them out. */
async function arrangeRooms(host: PrintdeckHost): Promise<void> {
  const devices = (await host.api<Device[]>('devices.list')).sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
  const size = Math.ceil(devices.length / ROOMS.length);
  for (const [i, room] of ROOMS.entries()) {
    const ids = devices.slice(i * size, (i + 1) * size).map((d) => d.deviceId);
    if (ids.length > 0) await host.api('devices.tag', { deviceIds: ids, add: [room] });
  }
}

/** Resolves once `check` holds (asked every 250 ms), or fails saying what was awaited. */
async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + PATIENCE_MS;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Gave up waiting for ${what}.`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function fleet(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Group by room' }).click();
  const grid = page.getByRole('grid', { name: 'Printers' });
  // Room 1 folded away; the next room open below it.
  await grid.getByRole('button', { name: /Room 1 \(\d+\)/ }).click();
  const states = page.getByRole('group', { name: 'Filter by state' });
  await states.getByRole('button', { name: /^Needs attention/ }).click();
  await states.getByRole('button', { name: 'Printing' }).click();
  await page.getByRole('combobox', { name: 'Family' }).selectOption({ label: 'OctoPrint' });
  // Three printing printers selected: the bulk bar offers to pause them.
  const printing = grid.getByRole('article').filter({ has: page.getByText('Printing', { exact: true }) });
  await printing.nth(2).waitFor({ timeout: PATIENCE_MS });
  for (let i = 0; i < 3; i++) await printing.nth(i).getByRole('checkbox').check();
  // Cards on screen show live printers, not "Connecting".
  await until('the printers on screen to connect', async () => (await grid.getByRole('article').filter({ hasText: /connecting/i }).count()) === 0);
  // Ticking a box scrolled the page to it; the picture starts at the top of the screen.
  await page.evaluate('window.scrollTo(0, 0)');
  await page.screenshot({ path: path.join(OUT, 'fleet-1000.png') });
  await page.getByRole('region', { name: 'Selected printers' }).getByRole('button', { name: 'Clear selection' }).click();
}

async function cameraWall(page: Page): Promise<void> {
  const states = page.getByRole('group', { name: 'Filter by state' });
  await states.getByRole('button', { name: /^Needs attention/ }).click();
  await states.getByRole('button', { name: 'Printing' }).click();
  await page.getByRole('combobox', { name: 'Family' }).selectOption({ label: 'All' });
  await page.getByRole('group', { name: 'Layout' }).getByRole('button', { name: 'Camera wall' }).click();
  // Every tile on screen has its picture.
  const tiles = page.getByRole('list', { name: 'Cameras' }).getByRole('listitem');
  await until('a picture in every camera tile on screen', async () => {
    for (const tile of (await tiles.all()).slice(0, 40)) {
      const box = await tile.boundingBox();
      if (!box) return false;
      if (box.y >= VIEWPORT.height) break;
      if ((await tile.getByRole('img').count()) === 0) return false;
    }
    return true;
  });
  await page.screenshot({ path: path.join(OUT, 'camera-wall.png') });
}

async function main(): Promise<void> {
  const host = await startHost({ demoPrinters: PRINTERS });
  const browser = await chromium.launch({
    executablePath: process.env.PRINTDECK_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
  });
  try {
    await arrangeRooms(host);
    const page = await browser.newPage({ viewport: VIEWPORT });
    await page.goto(host.openUrl);
    await page.getByText(`${PRINTERS} printers`, { exact: true }).waitFor({ timeout: PATIENCE_MS });
    await fleet(page);
    await cameraWall(page);
    process.stdout.write(`Wrote ${path.join(OUT, 'fleet-1000.png')} and ${path.join(OUT, 'camera-wall.png')}\n`);
  } finally {
    await browser.close();
    await host.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
