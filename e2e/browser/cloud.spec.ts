import { expect, startHost, test, type PrintdeckHost } from './host-fixture';

let host: PrintdeckHost;

test.beforeAll(async () => {
  host = await startHost({ demo: true });
});

test.afterAll(async () => {
  await host?.stop();
});

test('sign in to the demo cloud account with the emailed code, see cloud printers progress, open history', async ({ page }) => {
  test.setTimeout(90_000);
  await page.goto(host.openUrl);
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
  await page.getByRole('link', { name: 'Cloud' }).click();

  const signIn = page.getByRole('form', { name: 'Sign in to Armory cloud (demo)' });
  await expect(signIn.getByLabel('Account (email or phone)')).toHaveValue('demo@printdeck.invalid', { timeout: 30_000 });
  // The demo connection keeps its password as a secret: one click.
  await signIn.getByRole('button', { name: 'Sign in' }).click();

  const codeForm = page.getByRole('form', { name: 'Verification code for Armory cloud (demo)' });
  const hint = codeForm.getByRole('note');
  await expect(hint).toContainText(/the code \d{6}/);
  const code = /(\d{6})/.exec((await hint.textContent()) ?? '')?.[1] ?? '';
  await codeForm.getByLabel('Verification code').fill('000000' === code ? '111111' : '000000');
  await codeForm.getByRole('button', { name: 'Verify code' }).click();
  await expect(codeForm.getByRole('alert')).toContainText('not right');
  await codeForm.getByLabel('Verification code').fill(code);
  await codeForm.getByRole('button', { name: 'Verify code' }).click();

  await expect(page.getByText('Signed in', { exact: true })).toBeVisible();
  const printers = page.getByRole('list', { name: 'Cloud printers' });
  await expect(printers.getByRole('listitem')).toHaveCount(4, { timeout: 20_000 });
  await expect(printers.getByRole('progressbar').first()).toBeVisible();
  await printers.getByRole('button', { name: 'Remote camera of X1 Carbon (lab)?' }).click();
  await expect(printers.getByRole('status')).toContainText('SDK');

  // The cloud printers are on the Devices screen too, with their progress.
  await page.getByRole('link', { name: 'Devices' }).click();
  const card = page.getByRole('article', { name: 'X1 Carbon (lab)' });
  await expect(card).toBeVisible();
  await expect(card.getByRole('progressbar')).toBeVisible();
  await expect(card).not.toContainText('task');

  await page.getByRole('link', { name: 'Cloud' }).click();
  await page.getByRole('tab', { name: 'History' }).click();
  const history = page.getByRole('list', { name: 'Print history' });
  await expect(history.getByRole('img', { name: /^Picture of / }).first()).toBeVisible({ timeout: 20_000 });
  await expect(history).toContainText('Finished');
  const before = await history.getByRole('listitem').count();
  await history.getByRole('button', { name: 'Load more' }).scrollIntoViewIfNeeded();
  await expect.poll(async () => history.getByRole('listitem').count()).toBeGreaterThan(before);

  await page.getByRole('tab', { name: 'Slicer downloads' }).click();
  await expect(page.getByRole('list', { name: 'Slicer downloads' })).toContainText('Required by the cloud');

  // No secret in any API answer.
  const accounts = JSON.stringify(await host.api('cloud.accounts'));
  expect(accounts).not.toContain('armory-demo-password');
});
