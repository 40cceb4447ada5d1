import { expect, test, type Locator, type Page } from '@playwright/test';
import { startHost, type PrintdeckHost } from './host-fixture';

/**
 * The lab manager's journey at 1,000 printers (issue 14): a host started with
 * `--demo --demo-printers 1000`; find one printer by search, filter to "needs attention", put three
 * printers in a room and see it as a collapsible section with its count, pause those three with one
 * confirmation, open the camera wall, and read yesterday's notifications (the demo lab comes with
 * the past days of its notification history).
 */

const PRINTERS = 1000;
const ROOM = 'Room 2';
/** The machine is shared and a thousand simulators run beside the host: be patient, never sleep. */
const SLOW = { timeout: 60_000 };

interface Device {
  deviceId: string;
  name: string;
  family: string;
  state: string;
  link: string;
  job: { progress: number | null } | null;
}

let host: PrintdeckHost;
test.beforeAll(async () => {
  test.setTimeout(PRINTERS * 200 + 60_000);
  host = await startHost({ demoPrinters: PRINTERS });
});
test.afterAll(async () => {
  await host?.stop();
});

/** Three printers a QA script would pick for pausing: OctoPrint, printing, early in their jobs. */
async function threePrinting(): Promise<string[]> {
  let picked: string[] = [];
  await expect
    .poll(
      async () => {
        const devices = await host.api<Device[]>('devices.list');
        picked = devices
          .filter((d) => d.family === 'octoprint' && d.link === 'online' && d.state === 'printing' && (d.job?.progress ?? 1) < 0.5)
          .map((d) => d.name)
          .sort((a, b) => a.localeCompare(b, undefined, { numeric: true }))
          .slice(0, 3);
        return picked.length;
      },
      SLOW,
    )
    .toBe(3);
  return picked;
}

function search(page: Page): Locator {
  return page.getByRole('searchbox', { name: 'Search printers by name, model or file' });
}

function count(page: Page): Locator {
  return page.getByText(/^\d+ (of \d+ )?printers( · \d+ selected)?$/);
}

test('a lab manager at 1,000 printers: search, needs attention, a room, bulk pause, camera wall, yesterday’s notifications', async ({ page }) => {
  test.setTimeout(300_000);
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.goto(host.openUrl);
  await expect(page.getByRole('heading', { name: 'Devices', level: 1 })).toBeVisible(SLOW);
  await expect(count(page)).toHaveText(`${PRINTERS} printers`, SLOW);
  const grid = page.getByRole('grid', { name: 'Printers' });

  // Find one printer by search.
  await search(page).fill('Prusa MK4 #123');
  await expect(count(page)).toHaveText(`1 of ${PRINTERS} printers`);
  await expect(grid.getByRole('article')).toHaveCount(1);
  await expect(grid.getByRole('article', { name: 'Prusa MK4 #123' })).toBeVisible();
  await search(page).fill('');

  // Filter to the printers that need attention: every card shown says what is wrong.
  const attention = page.getByRole('group', { name: 'Filter by state' }).getByRole('button', { name: /^Needs attention/ });
  await expect(attention).toHaveText(/\((?!0\))\d+\)$/, SLOW);
  await attention.click();
  await expect(attention).toHaveAttribute('aria-pressed', 'true');
  await expect(count(page)).toHaveText(new RegExp(`^\\d+ of ${PRINTERS} printers$`));
  const cards = grid.getByRole('article');
  await expect(cards.first()).toBeVisible();
  for (const card of await cards.all()) await expect(card.getByRole('note').or(card.getByText(/offline|error|shutdown/i)).first()).toBeVisible();
  await attention.click();
  await expect(count(page)).toHaveText(`${PRINTERS} printers`);

  // Select three printing printers (found by search, one after the other) and put them in a room.
  const three = await threePrinting();
  for (const name of three) {
    await search(page).fill(name);
    await grid.getByRole('checkbox', { name: `Select ${name}`, exact: true }).check();
  }
  await search(page).fill('');
  await expect(count(page)).toHaveText(`${PRINTERS} printers · 3 selected`);
  const bulk = page.getByRole('region', { name: 'Selected printers' });
  await bulk.getByRole('textbox', { name: 'Room or tag' }).fill(ROOM);
  await bulk.getByRole('button', { name: 'Add tag' }).click();

  // The room is a collapsible section with its count, above the printers in no room.
  await page.getByRole('button', { name: 'Group by room' }).click();
  const roomHeader = grid.getByRole('button', { name: new RegExp(`${ROOM} \\(3\\)`) });
  await expect(roomHeader).toHaveAttribute('aria-expanded', 'true', SLOW);
  await expect(grid.getByRole('button', { name: `▾ No room (${PRINTERS - 3})` })).toBeVisible();
  for (const name of three) await expect(grid.getByRole('article', { name, exact: true })).toBeVisible();
  await roomHeader.click();
  await expect(roomHeader).toHaveAttribute('aria-expanded', 'false');
  for (const name of three) await expect(grid.getByRole('article', { name, exact: true })).toHaveCount(0);
  await roomHeader.click();
  await expect(roomHeader).toHaveAttribute('aria-expanded', 'true');

  // Pause the three: one confirmation listing them, then each shows paused.
  await bulk.getByRole('button', { name: 'Pause (3)' }).click();
  const confirm = bulk.getByRole('dialog', { name: 'Pause 3 printers?' });
  await expect(confirm.getByRole('listitem')).toHaveText(three);
  await confirm.getByRole('button', { name: 'Pause 3' }).click();
  await expect(confirm).toBeHidden(SLOW);
  await expect(count(page)).toHaveText(`${PRINTERS} printers`);
  for (const name of three) await expect(grid.getByRole('article', { name, exact: true }).getByText('Paused', { exact: true })).toBeVisible(SLOW);

  // The camera wall: tiles on screen get pictures, the rest of a thousand fetch nothing.
  await page.getByRole('group', { name: 'Layout' }).getByRole('button', { name: 'Camera wall' }).click();
  const wall = page.getByRole('list', { name: 'Cameras' });
  const tiles = wall.getByRole('listitem');
  await expect(tiles.first()).toBeVisible();
  const pictures = wall.getByRole('img', { name: / camera$/ });
  await expect(pictures.first()).toBeVisible(SLOW);
  await expect(pictures.nth(3)).toBeVisible(SLOW);
  expect(await tiles.count()).toBeGreaterThan(100);
  // Pictures only for the tiles on screen (a screenful is far below a hundred at this size).
  expect(await pictures.count()).toBeLessThan(100);
  await expect(tiles.last().getByRole('img')).toHaveCount(0);
  const firstTile = tiles.first().getByRole('button');
  const firstName = ((await firstTile.getAttribute('aria-label')) ?? '').replace(/^Show (.*) large$/, '$1');
  await firstTile.click();
  const large = page.getByRole('dialog', { name: `${firstName} camera` });
  await expect(large.getByRole('img', { name: `${firstName} camera, large` })).toBeVisible(SLOW);
  await large.getByRole('button', { name: 'Close' }).click();

  // Yesterday's notifications: errors, one printer's, marked read.
  const bell = page.getByRole('button', { name: /^Notifications, \d+ unread$/ });
  await bell.click();
  const centre = page.getByRole('dialog', { name: 'Notification centre' });
  await centre.getByRole('combobox', { name: 'Day' }).selectOption({ label: 'Yesterday' });
  const yesterday = centre.getByRole('region', { name: 'Yesterday' });
  await expect(yesterday).toBeVisible(SLOW);
  await expect(centre.getByRole('region', { name: 'Today' })).toHaveCount(0);
  await centre.getByRole('group', { name: 'Severity' }).getByRole('button', { name: 'Errors' }).click();
  const items = yesterday.getByRole('listitem');
  // Yesterday's successes and warnings go; failed prints stay.
  await expect(items.getByRole('strong').filter({ hasNotText: /: print failed$/ })).toHaveCount(0, SLOW);
  await expect(items.first()).toContainText('print failed');
  const printer = ((await items.first().getByRole('strong').textContent()) ?? '').replace(/: print failed$/, '');
  await centre.getByRole('combobox', { name: 'Printer' }).selectOption({ label: printer });
  await expect(items.getByRole('strong')).toHaveText([`${printer}: print failed`]);
  await expect(yesterday).toContainText('1 unread');
  await yesterday.getByRole('button', { name: 'Mark yesterday read' }).click();
  await expect(yesterday).toContainText('All read');
  const today = new Date();
  today.setHours(0, 0, 0, 0);
  const stored = await host.api<{ title: string; read: boolean }[]>('notifications.list', { levels: ['error'], before: today.getTime(), since: today.getTime() - 86_400_000 });
  expect(stored.filter((n) => n.title === `${printer}: print failed`).map((n) => n.read)).toEqual([true]);
});
