import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { startHost, type PrintdeckHost } from './host-fixture';

/**
 * Two devices of one account and a group whose membership changes, in one host: besides the demo's chat
 * connection, two more connections to the same sandbox Skiserver stand for Maya's second device and for Lee's
 * desk. Codes for them are read from the sandbox's "email" outbox (the demo shows only its own connection's).
 */
let host: PrintdeckHost;
let outbox = '';
const DEMO = 'Team chat (sandbox)';
const LAPTOP = "Maya's laptop";
const LEE = "Lee's desk";

test.beforeAll(async () => {
  host = await startHost({ demo: true });
  const connections = await host.api<{ kind: string; name: string; address: string; options: Record<string, unknown> }[]>('connections.list');
  const demo = connections.find((c) => c.kind === 'skiserver')!;
  outbox = String(demo.options.demoOutbox);
  for (const name of [LAPTOP, LEE]) await host.api('connections.add', { kind: 'skiserver', name, address: demo.address });
});
test.afterAll(async () => host.stop());

function codeFor(email: string): string | null {
  const blocks = readFileSync(outbox, 'utf8').split('\n\n').filter((b) => b.startsWith(`To: mailto:${email}\n`));
  return /(\d{6})/.exec(blocks[blocks.length - 1] ?? '')?.[1] ?? null;
}

async function useServer(page: Page, name: string): Promise<void> {
  await page.getByLabel('Server').selectOption({ label: name });
  await expect(page.getByRole('heading', { name: `Sign in to ${name}` }).or(page.getByRole('button', { name: 'Sign out' }))).toBeVisible();
}

async function signIn(page: Page, server: string, email: string, userId: string, name: string): Promise<void> {
  await useServer(page, server);
  await page.getByRole('textbox', { name: 'Email' }).fill(email);
  const before = codeFor(email);
  await page.getByRole('button', { name: 'Send me a code' }).click();
  await expect.poll(() => codeFor(email) !== null && codeFor(email) !== before).toBe(true);
  await page.getByRole('textbox', { name: 'Code' }).fill(codeFor(email)!);
  await page.getByRole('textbox', { name: 'User id' }).fill(userId);
  await page.getByRole('textbox', { name: 'Display name' }).fill(name);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText(`${name} (${userId}) · Online`)).toBeVisible({ timeout: 30_000 });
}

async function open(page: Page, server: string, conversation: RegExp): Promise<void> {
  await useServer(page, server);
  await page.getByRole('complementary', { name: 'Conversations' }).getByRole('button', { name: conversation }).first().click();
}

/** The open conversation's messages (the sidebar's previews repeat message text). */
const messages = (page: Page) => page.getByRole('list', { name: 'Messages' });

test('two devices of one account both get new messages; a group adds a member who reads from then on and removes one who reads no more', async ({ page }) => {
  test.setTimeout(240_000);
  await page.goto(host.openUrl);
  await page.getByRole('link', { name: 'Chat' }).click();
  await signIn(page, DEMO, 'maya@example.com', 'maya', 'Maya Maker');
  // The same user id and email on another connection adds a device to Maya's account.
  await signIn(page, LAPTOP, 'maya@example.com', 'maya', 'Maya Maker');
  await page.getByText(/This account's devices \(2\)/).click();
  await expect(page.getByText('(this device)')).toBeVisible();
  await signIn(page, LEE, 'lee@example.com', 'lee', 'Lee');

  // Maya writes to the teammate from her first device; the reply reaches both of her devices.
  await useServer(page, DEMO);
  await page.getByRole('textbox', { name: /New chat/ }).fill('teammate');
  await page.getByRole('button', { name: 'Start' }).click();
  const composer = page.getByRole('textbox', { name: /Message/ });
  await composer.fill('Is the Ender done?');
  await composer.press('Enter');
  await expect(messages(page).getByText(/Got it: "Is the Ender done\?"/).first()).toBeVisible({ timeout: 30_000 });
  // Sam had never heard of Maya: her first message makes him fetch all her devices; what follows reaches both.
  await composer.fill('And the Prusa?');
  await composer.press('Enter');
  await expect(messages(page).getByText(/Got it: "And the Prusa\?"/).first()).toBeVisible({ timeout: 30_000 });
  await open(page, LAPTOP, /^(Sam|teammate)/);
  await expect(messages(page).getByText(/Got it: "And the Prusa\?"/).first()).toBeVisible({ timeout: 30_000 });
  // Her own messages, sent from the other device, are there too.
  await expect(messages(page).getByText('And the Prusa?', { exact: true })).toBeVisible();

  // A group with the teammate; then Lee is added.
  await useServer(page, DEMO);
  await page.getByText('New group').click();
  await page.getByRole('textbox', { name: 'Group name' }).fill('Night shift');
  await page.getByRole('textbox', { name: /Members \(user ids/ }).fill('teammate');
  await page.getByRole('button', { name: 'Create group' }).click();
  await composer.fill('before Lee joined');
  await composer.press('Enter');
  await expect(messages(page).getByText(/Got it: "before Lee joined"/).first()).toBeVisible({ timeout: 30_000 });
  await page.getByRole('textbox', { name: 'Add member (user id)' }).fill('lee');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(page.getByText(/Added lee\. They can read what is sent from now on/)).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('heading', { name: 'Members (3)' })).toBeVisible();
  await composer.fill('welcome Lee');
  await composer.press('Enter');
  await expect(messages(page).getByText(/Got it: "welcome Lee"/).first()).toBeVisible({ timeout: 30_000 });

  await open(page, LEE, /^# Night shift/);
  await expect(messages(page).getByText('welcome Lee', { exact: true })).toBeVisible({ timeout: 30_000 });
  await expect(messages(page).getByText('before Lee joined', { exact: true })).toHaveCount(0);
  // Maya's second device is in the group too.
  await open(page, LAPTOP, /^# Night shift/);
  await expect(messages(page).getByText('welcome Lee', { exact: true })).toBeVisible({ timeout: 30_000 });

  // Lee is removed (by keyboard): what follows does not reach him.
  await open(page, DEMO, /^# Night shift/);
  const remove = page.getByRole('button', { name: 'Remove lee from the group' });
  await remove.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByText(/Removed lee\. New messages use a fresh key/)).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('heading', { name: 'Members (2)' })).toBeVisible();
  await composer.fill('after Lee left');
  await composer.press('Enter');
  await expect(messages(page).getByText(/Got it: "after Lee left"/).first()).toBeVisible({ timeout: 30_000 });
  // A refusal is said in words.
  await page.getByRole('textbox', { name: 'Add member (user id)' }).fill('nobody-here');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('no such user: nobody-here@');

  await open(page, LEE, /^# Night shift/);
  await expect(page.getByText('You are no longer a member of this group.')).toBeVisible({ timeout: 30_000 });
  await expect(messages(page).getByText('welcome Lee', { exact: true })).toBeVisible();
  await expect(messages(page).getByText('after Lee left')).toHaveCount(0);
});
