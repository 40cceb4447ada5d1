import { readFileSync } from 'node:fs';
import { expect, test as base, type Page } from '@playwright/test';
import { startHost, type PrintdeckHost } from './host-fixture';

/**
 * The print queue end to end, as issue 15 walks it: three files sliced for a da Vinci nano queued
 * for "any printer that can print it"; the demo's two nanos take one each (no other printer is
 * offered a nano's file), the third waits for a cleared bed; "Bed cleared" on the device page of
 * the nano that finished starts it there. Then a print that fails (an emergency stop sent through
 * OctoPrint's terminal) shows in the history and its statistics, and the CSV download has the
 * columns a spreadsheet expects.
 */
const test = base.extend<{ demoHost: PrintdeckHost }>({
  // eslint-disable-next-line no-empty-pattern
  demoHost: async ({}, use) => {
    const host = await startHost({ demo: true });
    await use(host);
    await host.stop();
  },
});

const NANOS = ['da Vinci nano (demo, USB)', 'da Vinci nano 2 (demo, USB)'];
const FAILING = 'OctoPrint Ender 3';
const FILES = ['first.gcode', 'second.gcode', 'third.gcode'];
const CSV_HEADER =
  'id,printer,device_id,family,file,origin,started_utc,ended_utc,duration_min,outcome,reason,filament_mm,queue_job,imported_from';

function gcode(seconds: number, header: string[] = [], moves = 200): Buffer {
  const lines = [...header, ';FLAVOR:Marlin', `;TIME:${seconds}`, 'G21', 'G90', 'M82', 'M104 S205'];
  for (let i = 0; i < moves; i++) lines.push(`G1 X${i % 80} Y${(i * 7) % 80} E${(i / 10).toFixed(2)} F3000`);
  return Buffer.from(lines.join('\n') + '\n');
}

/** Sliced for a da Vinci nano, as XYZware writes its machine id. */
const forNano = (seconds: number) => gcode(seconds, ['; machine = dv1NX0A000']);

/** RFC 4180 as a spreadsheet reads it: quoted fields may hold commas, quotes ("") and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

async function failedCount(page: Page): Promise<number> {
  const dd = page.locator('.stats-facts dt', { hasText: /^Failed$/ }).locator('xpath=following-sibling::dd[1]');
  return Number(await dd.innerText());
}

test('queue three files for any nano, two nanos take them, clear a bed, the third starts; a failure in history; the CSV', async ({
  page,
  demoHost,
}) => {
  test.setTimeout(300_000);
  await page.goto(demoHost.openUrl);
  for (const name of NANOS)
    await expect(page.getByRole('article', { name })).toContainText('Idle', { timeout: 60_000 });

  await page.getByRole('link', { name: 'Queue' }).click();
  await expect(page.getByRole('heading', { name: 'Print queue', level: 1 })).toBeVisible();
  // The demo queue is already at work on other printers; it has nothing for the nanos.
  await expect(page.getByTestId('queue-row').filter({ hasText: 'demo-cable-clip.gcode' }).first()).toBeVisible({
    timeout: 30_000,
  });
  await page.getByRole('combobox', { name: /Print on/ }).selectOption('any');
  await page
    .getByLabel('Files to queue')
    .setInputFiles(FILES.map((name) => ({ name, mimeType: 'text/plain', buffer: forNano(30) })));
  const row = (name: string) => page.getByTestId('queue-row').filter({ hasText: name });
  // A row's name is "<file>, <state>".
  const ours = (state: string) =>
    page.getByRole('row', { name: new RegExp(`^(first|second|third)\\.gcode, ${state}$`) });
  for (const name of FILES) await expect(row(name)).toHaveCount(1, { timeout: 30_000 });
  await expect(row(FILES[0]!)).toContainText('Any printer');

  // The two nanos take two of them; the third waits.
  await expect(ours('Printing')).toHaveCount(2, { timeout: 90_000 });
  const printingOn = await ours('Printing').allInnerTexts();
  for (const nano of NANOS) expect(printingOn.filter((text) => text.includes(`on ${nano}`))).toHaveLength(1);
  await expect(ours('Waiting')).toHaveCount(1);
  const thirdName = FILES.find((f) => !printingOn.some((text) => text.includes(f)))!;

  // A print ends; its nano waits for the bed to be cleared.
  const done = ours('Done').first();
  await expect(done).toBeVisible({ timeout: 120_000 });
  await expect(row(thirdName)).toContainText('has not been cleared', { timeout: 30_000 });
  const doneText = await done.innerText();
  const finished = doneText.includes(`on ${NANOS[1]!}`) ? NANOS[1]! : NANOS[0]!;

  await page.getByRole('link', { name: 'Devices' }).click();
  await page.getByRole('article', { name: finished }).getByRole('heading').getByRole('link').click();
  await page.getByRole('button', { name: 'Bed cleared' }).click();

  await page.getByRole('link', { name: 'Queue' }).click();
  await expect(row(thirdName)).toContainText(`on ${finished}`, { timeout: 60_000 });
  await expect(
    page.getByRole('row', { name: new RegExp(`^${thirdName.replace('.', '\\.')}, (Starting|Printing|Done)$`) }),
  ).toHaveCount(1);

  // A print that fails: queued for the Ender 3, stopped by an emergency stop from its terminal.
  await page.getByRole('link', { name: 'History' }).click();
  await expect(page.getByRole('table')).toContainText('first.gcode', { timeout: 60_000 });
  const failedBefore = await failedCount(page);

  await page.getByRole('link', { name: 'Queue' }).click();
  await page.getByRole('combobox', { name: /Print on/ }).selectOption({ label: FAILING });
  await page
    .getByLabel('Files to queue')
    .setInputFiles({ name: 'fails.gcode', mimeType: 'text/plain', buffer: gcode(600, [], 3000) });
  await expect(page.getByRole('row', { name: 'fails.gcode, Printing' })).toHaveCount(1, { timeout: 60_000 });
  await page.getByRole('link', { name: 'Devices' }).click();
  await page.getByRole('article', { name: FAILING }).getByRole('heading').getByRole('link').click();
  await page.getByLabel('G-code command').fill('M112');
  await page.getByRole('button', { name: 'Send', exact: true }).click();

  await page.getByRole('link', { name: 'History' }).click();
  const failedRow = page.getByRole('row').filter({ hasText: 'fails.gcode' });
  await expect(failedRow).toContainText('Failed', { timeout: 60_000 });
  await expect(failedRow).toContainText(FAILING);
  await expect.poll(() => failedCount(page), { timeout: 30_000 }).toBeGreaterThan(failedBefore);

  // The CSV: a header a spreadsheet reads, a row per print with the failure in it.
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download CSV' }).click();
  const file = await (await download).path();
  const [header, ...records] = parseCsv(readFileSync(file, 'utf8'));
  expect(header!.join(',')).toBe(CSV_HEADER);
  for (const r of records) expect(r).toHaveLength(header!.length);
  const col = (name: string) => header!.indexOf(name);
  const failed = records.find((r) => r[col('file')] === 'fails.gcode');
  expect(failed?.[col('outcome')]).toBe('failed');
  expect(failed?.[col('origin')]).toBe('queue');
  expect(failed?.[col('printer')]).toBe(FAILING);
  expect(records.some((r) => r[col('file')] === 'first.gcode' && r[col('outcome')] === 'success')).toBe(true);
});
