import { expect, test } from '@playwright/test';
import { startHost, type PrintdeckHost } from './host-fixture';

let host: PrintdeckHost;
test.beforeAll(async () => {
  host = await startHost({ demo: true });
});
test.afterAll(async () => host.stop());

test('a team member signs up with her email code, chats end to end with a teammate, and checks his safety numbers', async ({ page }) => {
  await page.goto(host.openUrl);
  await page.getByRole('link', { name: 'Chat' }).click();
  await page.getByRole('textbox', { name: 'Email' }).fill('maya@example.com');
  await page.getByRole('button', { name: 'Send me a code' }).click();
  // The demo server "emails" the code; the demo shows it.
  const hint = page.getByText(/Demo server: your code is \d+/);
  await expect(hint).toBeVisible();
  const code = /(\d{4,})/.exec((await hint.textContent()) ?? '')![1]!;
  await page.getByRole('textbox', { name: 'Code' }).fill(code);
  await page.getByRole('textbox', { name: 'User id' }).fill('maya');
  await page.getByRole('textbox', { name: 'Display name' }).fill('Maya Maker');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText('Maya Maker (maya) · Online')).toBeVisible({ timeout: 20_000 });

  // The demo says whom to talk to.
  await expect(page.getByText('No conversations yet.')).toBeVisible();
  const teammateHint = page.getByRole('note').filter({ hasText: 'Demo server' });
  await expect(teammateHint.locator('code')).toHaveText('teammate');
  await page.getByRole('textbox', { name: /New chat/ }).fill((await teammateHint.locator('code').textContent()) ?? '');
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByText('End-to-end encrypted')).toBeVisible();
  // A conversation is open: the list does not claim there are none.
  await expect(page.getByText('No conversations yet.')).toBeHidden();
  const composer = page.getByRole('textbox', { name: /Message/ });
  await composer.fill('Is the Ender done?');
  await composer.press('Enter');
  await expect(page.getByText('Delivered')).toBeVisible({ timeout: 20_000 });
  await expect(page.getByText(/Got it: "Is the Ender done\?"/).first()).toBeVisible({ timeout: 20_000 });

  // Safety numbers: 12 groups of 5 digits, and marking them verified sticks.
  await expect(page.getByLabel(/Safety number for device/).first()).toHaveText(/^(\d{5}\s+){11}\d{5}$/);
  // The checkbox keeps its name while it toggles, so check() and uncheck() work.
  const verified = page.getByRole('checkbox', { name: 'I compared the safety numbers and they match' });
  await verified.check();
  await expect(page.getByText('Verified: you compared the numbers.')).toBeVisible();
  await verified.uncheck();
  await expect(page.getByText('Not verified yet.')).toBeVisible();
  await verified.check();
  await expect(page.getByText('Verified: you compared the numbers.')).toBeVisible();

  // One snapshot button with a printer picker; the picture is captioned with the printer.
  await expect(page.getByRole('button', { name: 'Send snapshot' })).toHaveCount(1);
  await page.getByLabel('Printer for the snapshot').selectOption({ label: 'da Vinci 1.1 Plus (demo)' });
  await page.getByRole('button', { name: 'Send snapshot' }).click();
  await expect(page.getByRole('img', { name: 'Snapshot of da Vinci 1.1 Plus (demo)' })).toBeVisible({ timeout: 30_000 });
});
