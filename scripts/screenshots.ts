import path from 'node:path';
import { chromium, type Browser, type Page } from '@playwright/test';
import { startHost, type PrintdeckHost } from '../e2e/browser/host-fixture';

/**
 * Renders the README's screenshots from the real app: `npx electron-vite build && npx tsx
 * scripts/screenshots.ts [demo|lab]` (both when not told) opens the host in Chromium
 * (PRINTDECK_CHROMIUM, else /usr/bin/chromium) and writes
 * - demo, from `printdeck serve --demo` (the small demo fleet, signed in to its cloud account):
 *   docs/screenshots/devices.png      the Devices screen, every family connected
 *   docs/screenshots/device-page.png  the Klipper printer's page while it prints a file sent from the page
 *   docs/screenshots/queue.png        the demo queue, each waiting job with its reason
 *   docs/screenshots/history.png      the print history with its statistics, printers' own histories imported
 * - lab, from `printdeck serve --demo --demo-printers 1000`:
 *   docs/screenshots/fleet-1000.png   the Devices screen at 1,000: rooms, a filter, three selected
 *   docs/screenshots/camera-wall.png  the camera wall
 * Each is taken once what it shows has settled (printers connected, pictures in, history filled),
 * not after a delay.
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
  link: string;
}

/** The small demo's printer whose page is shown printing, and the file it prints. */
const PRINTING = 'Klipper Voron 2.4';
const PRINTED_FILE = 'bracket.gcode';
/** How much temperature history the printer's chart shows (of its ten minutes) when it is taken. */
const CHART_HISTORY_MS = 300_000;
/** Tall enough for the small demo's every card, wide enough that no card's name pushes its state to a second line. */
const DEMO_DEVICES_VIEWPORT = { width: 1440, height: 1240 };
const FAMILIES = ['xyz', 'marlin', 'moonraker', 'octoprint', 'cloud'];
const IMPORTED_FROM = ['octoprint', 'moonraker', 'armory'];
const DAY_MS = 86_400_000;

async function newBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.PRINTDECK_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
  });
}

/** A screen from the main navigation. */
async function go(page: Page, screen: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: screen, exact: true }).click();
}

/** Toasts (kept in the bell) would cover what the picture is about. */
async function shoot(page: Page, name: string): Promise<void> {
  const dismiss = page.getByRole('status', { name: 'Notifications' }).getByRole('button', { name: /^Dismiss/ });
  while ((await dismiss.count()) > 0) await dismiss.first().click();
  await page.screenshot({ path: path.join(OUT, name) });
  process.stdout.write(`Wrote ${path.join(OUT, name)}\n`);
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
async function until(what: string, check: () => Promise<boolean>, patienceMs = PATIENCE_MS): Promise<void> {
  const deadline = Date.now() + patienceMs;
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
  await shoot(page, 'fleet-1000.png');
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
  await shoot(page, 'camera-wall.png');
}

/** The small demo signs in to its cloud account the way a user does: password kept, code from the hint. */
async function signInToCloud(page: Page): Promise<void> {
  await go(page, 'Cloud');
  const signIn = page.getByRole('form', { name: /^Sign in to Armory cloud/ });
  await signIn.getByRole('button', { name: 'Sign in' }).click({ timeout: PATIENCE_MS });
  const codeForm = page.getByRole('form', { name: /^Verification code for Armory cloud/ });
  const hint = (await codeForm.getByRole('note').textContent({ timeout: PATIENCE_MS })) ?? '';
  await codeForm.getByLabel('Verification code').fill(/(\d{6})/.exec(hint)?.[1] ?? '');
  await codeForm.getByRole('button', { name: 'Verify code' }).click();
  await page.getByText('Signed in', { exact: true }).waitFor({ timeout: PATIENCE_MS });
}

/** A long part (the demo printers print 400 bytes per simulated second): still printing when its page is taken. */
function longPart(): Buffer {
  const lines = [`; ${PRINTED_FILE}`, 'M140 S60', 'M104 S205', 'M190 S60', 'M109 S205', 'G28', 'G90', 'M82'];
  for (let i = 0; i < 60_000; i++) lines.push(`G1 X${30 + (i % 50)} Y${30 + ((i * 7) % 50)} E${(i / 20).toFixed(2)} F3000`);
  return Buffer.from(lines.join('\n') + '\n');
}

/** Prints a file on the Klipper printer from its page, as a user does; the page fills while the others are taken. */
async function startPrint(page: Page, host: PrintdeckHost): Promise<string> {
  await go(page, 'Devices');
  const card = page.getByRole('article', { name: PRINTING });
  await card.getByText('Ready').waitFor({ timeout: PATIENCE_MS });
  await card.getByRole('heading').getByRole('link').click();
  await page.getByRole('button', { name: 'Print a file…' }).click();
  await page.getByLabel('File to print').setInputFiles({ name: PRINTED_FILE, mimeType: 'text/plain', buffer: longPart() });
  await page.getByRole('dialog', { name: /^Print / }).getByRole('button', { name: /^Print( anyway)?$/ }).click();
  const devices = await host.api<Device[]>('devices.list');
  const deviceId = devices.find((d) => d.name === PRINTING)!.deviceId;
  await until(`${PRINTING} to print`, async () => (await host.api<Device[]>('devices.list')).find((d) => d.deviceId === deviceId)?.state === 'printing');
  return deviceId;
}

/** Every family on screen, every printer past "Connecting". */
async function devices(page: Page, host: PrintdeckHost): Promise<void> {
  await until('every family to connect', async () => {
    const all = await host.api<Device[]>('devices.list');
    return FAMILIES.every((f) => all.some((d) => d.family === f)) && all.every((d) => d.link !== 'connecting');
  });
  await page.setViewportSize(DEMO_DEVICES_VIEWPORT);
  await go(page, 'Devices');
  const grid = page.getByRole('grid', { name: 'Printers' });
  await until('the cards to show live printers', async () => (await grid.getByRole('article').filter({ hasText: /connecting/i }).count()) === 0);
  await shoot(page, 'devices.png');
  await page.setViewportSize(VIEWPORT);
}

async function queue(page: Page): Promise<void> {
  await go(page, 'Queue');
  // The demo queue's second Prusa copy waits for its bed, the first having printed.
  await page.getByText(/has not been cleared/).waitFor({ timeout: PATIENCE_MS });
  await shoot(page, 'queue.png');
}

/** Waits until the imported histories (OctoPrint, Klipper, the cloud) are in, then shows the statistics. */
async function history(page: Page, host: PrintdeckHost): Promise<void> {
  await until('the printers\' own histories to be imported', async () => {
    const to = Date.now() + 60_000;
    const { records } = await host.api<{ records: { importedFrom: string | null }[] }>('history.list', { from: to - 30 * DAY_MS, to, limit: 500 });
    return IMPORTED_FROM.every((source) => records.some((r) => r.importedFrom === source));
  });
  await go(page, 'History');
  await page.getByRole('img', { name: /^Prints per day/ }).waitFor({ timeout: PATIENCE_MS });
  await shoot(page, 'history.png');
}

/** The printing printer's page once its chart holds a few minutes of temperatures and the job has progress. */
async function devicePage(page: Page, host: PrintdeckHost, deviceId: string): Promise<void> {
  await until('a few minutes of temperature history', async () => {
    const { samples } = await host.api<{ samples: { t: number }[] }>('printers.temperatureHistory', { deviceId });
    return samples.length > 0 && samples[samples.length - 1]!.t - samples[0]!.t >= CHART_HISTORY_MS;
  }, CHART_HISTORY_MS + PATIENCE_MS);
  // Opened afresh, the page draws the history from main, not only what arrived while it was shown.
  await go(page, 'Devices');
  await page.getByRole('article', { name: PRINTING }).getByRole('heading').getByRole('link').click();
  const progress = page.getByRole('progressbar', { name: `${PRINTING} print progress` });
  await until('print progress', async () => Number(await progress.getAttribute('aria-valuenow')) > 0);
  await shoot(page, 'device-page.png');
}

async function demo(browser: Browser): Promise<void> {
  const host = await startHost({ demo: true });
  try {
    const page = await browser.newPage({ viewport: VIEWPORT });
    await page.goto(host.openUrl);
    await page.getByRole('navigation', { name: 'Main' }).waitFor({ timeout: PATIENCE_MS });
    await signInToCloud(page);
    const printing = await startPrint(page, host);
    await devices(page, host);
    await queue(page);
    await history(page, host);
    await devicePage(page, host, printing);
  } finally {
    await host.stop();
  }
}

async function lab(browser: Browser): Promise<void> {
  const host = await startHost({ demoPrinters: PRINTERS });
  try {
    await arrangeRooms(host);
    const page = await browser.newPage({ viewport: VIEWPORT });
    await page.goto(host.openUrl);
    await page.getByText(`${PRINTERS} printers`, { exact: true }).waitFor({ timeout: PATIENCE_MS });
    await fleet(page);
    await cameraWall(page);
  } finally {
    await host.stop();
  }
}

const PHASES: Record<string, (browser: Browser) => Promise<void>> = { demo, lab };

async function main(): Promise<void> {
  const asked = process.argv.slice(2);
  const unknown = asked.filter((a) => !Object.hasOwn(PHASES, a));
  if (unknown.length > 0) throw new Error(`Unknown phase ${unknown.join(', ')}: say demo, lab or nothing (both).`);
  const browser = await newBrowser();
  try {
    for (const phase of asked.length > 0 ? asked : Object.keys(PHASES)) await PHASES[phase]!(browser);
  } finally {
    await browser.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
