import http from 'node:http';
import type { AddressInfo } from 'node:net';
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from './host-fixture';

test('a new user sees the empty state with both ways forward', async ({ page, openApp }) => {
  await openApp(page);
  await expect(page.getByRole('heading', { name: 'No printers yet' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Connect a printer' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Try the demo fleet' })).toBeVisible();
  // The page took the token out of the address bar.
  expect(page.url()).not.toContain('token=');
});

test('a page without the token says it needs one', async ({ page, host }) => {
  await page.goto(host.url);
  await expect(page.getByText('needs the access token')).toBeVisible();
});

test('what the browser holds: no cookie, nothing another local server receives, nothing usable as a bearer token', async ({ page, context, host, openApp }) => {
  await openApp(page);
  expect((await context.cookies()).filter((c) => c.name.startsWith('printdeck'))).toEqual([]);

  // Another server on this machine, on another port, sees what the browser sends it.
  const seen: http.IncomingHttpHeaders[] = [];
  const other = http.createServer((req, res) => {
    seen.push(req.headers);
    res.end('other');
  });
  await new Promise<void>((r) => other.listen(0, '127.0.0.1', () => r()));
  try {
    const otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}/`;
    const probe = await context.newPage();
    await probe.goto(otherUrl);
    await probe.close();
    expect(seen.length).toBeGreaterThan(0);
    for (const headers of seen) {
      expect(headers.cookie).toBeUndefined();
      expect(headers.authorization).toBeUndefined();
    }
  } finally {
    other.close();
  }

  // Whatever the page keeps is not the token and does not open the API from a script.
  const held = await page.evaluate<string>('JSON.stringify({ ...sessionStorage }) + JSON.stringify({ ...localStorage }) + document.cookie');
  expect(held).not.toContain(host.token);
  const session = await page.evaluate<string | null>("sessionStorage.getItem('printdeck.session')");
  expect(session).toBeTruthy();
  const res = await fetch(`${host.url}session`, { method: 'POST', headers: { authorization: `Bearer ${session}`, origin: host.url.slice(0, -1) } });
  expect(res.status).toBe(401);
  const status = await new Promise<number>((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws?token=${session}`);
    ws.onopen = () => resolve(101);
    ws.onerror = () => resolve(401);
  });
  expect(status).toBe(401);
});

test('connections: validation, add with a secret, edit, persist across a restart, remove', async ({ page, host, openApp }) => {
  await openApp(page);
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'Add connection' }).click();
  const form = page.getByRole('form', { name: 'Add connection' });
  await form.getByLabel('Kind').selectOption('octoprint');
  await form.getByLabel('Name').fill('Ender 3');
  // A bare host is taken as http:// (OctoPi is octopi.local); another scheme is refused in words.
  await form.getByLabel('Address').fill('ftp://octopi.local');
  await form.getByRole('button', { name: 'Add' }).click();
  await expect(form.getByRole('alert')).toHaveText(/needs an address like octopi\.local/);
  await form.getByLabel('Address').fill('http://127.0.0.1:5999');
  await form.getByLabel(/API key/).fill('SECRET-KEY-e2e');
  await form.getByRole('button', { name: 'Add' }).click();
  const list = page.getByRole('list', { name: 'Connections' });
  await expect(list).toContainText('Ender 3');
  await expect(list).toContainText('key saved');

  // The secret never reaches the browser: not in any API answer.
  const listed = await host.api('connections.list');
  expect(JSON.stringify(listed)).not.toContain('SECRET-KEY-e2e');

  await page.getByRole('button', { name: 'Edit Ender 3' }).click();
  const edit = page.getByRole('form', { name: 'Edit Ender 3' });
  await edit.getByLabel('Name').fill('Ender 3 Pro');
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(list).toContainText('Ender 3 Pro');

  await host.restart();
  await expect(page.getByRole('alert').filter({ hasText: 'Printdeck' })).toHaveCount(0, { timeout: 15_000 });
  await page.reload();
  await expect(page.getByRole('list', { name: 'Connections' })).toContainText('Ender 3 Pro');

  page.once('dialog', (d) => d.accept());
  await page.getByRole('button', { name: 'Remove Ender 3 Pro' }).click();
  await expect(page.getByText('No connections yet')).toBeVisible();
});

test('losing the host shows a banner, and the page recovers by itself', async ({ page, host, openApp }) => {
  await openApp(page);
  await host.stop();
  await expect(page.getByRole('alert')).toContainText(/Disconnected|Connecting/);
  await host.restart();
  await expect(page.getByRole('alert')).toHaveCount(0, { timeout: 15_000 });
  await expect(page.getByRole('heading', { name: 'No printers yet' })).toBeVisible();
});

test('the demo fleet starts from the empty state and can be told to fail', async ({ page, openApp }) => {
  await openApp(page);
  await page.getByRole('button', { name: 'Try the demo fleet' }).click();
  await page.getByRole('link', { name: 'Settings' }).click();
  const table = page.getByRole('table');
  await expect(table.getByRole('row')).not.toHaveCount(0);
  // Whichever simulator comes first: make it slow, see the fault listed, clear it.
  const firstRow = table.getByRole('row').nth(1);
  const name = (await firstRow.getByRole('cell').first().textContent()) ?? '';
  await page.getByRole('button', { name: `Slow (2 s): ${name}` }).click();
  await expect(firstRow).toContainText(/2000 ms/);
  await page.getByRole('button', { name: `Clear faults: ${name}` }).click();
  await expect(firstRow).not.toContainText(/2000 ms/);
});

test('every screen is keyboard reachable and has no serious accessibility violations, light and dark', async ({ page, openApp }) => {
  await openApp(page);
  for (const theme of ['light', 'dark'] as const) {
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('radio', { name: theme === 'light' ? 'Light' : 'Dark' }).check();
    for (const screen of ['Devices', 'Cloud', 'Chat', 'Uploads', 'Settings']) {
      await page.getByRole('link', { name: screen }).click();
      const results = await new AxeBuilder({ page }).analyze();
      const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(serious, `${screen} (${theme}): ${serious.map((v) => v.id).join(', ')}`).toEqual([]);
    }
  }
  // Keyboard: Tab from the top reaches the navigation, Enter follows it.
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
});
