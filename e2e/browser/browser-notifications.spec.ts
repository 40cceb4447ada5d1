import { expect, test as base, type Page } from '@playwright/test';
import { startHost, type PrintdeckHost } from './host-fixture';

/**
 * Opt-in browser notifications in headless mode. The browser context grants the permission; an
 * init script wraps window.Notification to record what the page shows. A simulated failure (an
 * OctoPrint printer refusing a file while it prints) shows nothing while the switch is off, and one
 * notification once it is on; the choice survives a reload and the backlog is not shown again.
 */
const test = base.extend<{ lab: PrintdeckHost }>({
  // eslint-disable-next-line no-empty-pattern
  lab: async ({}, use) => {
    const host = await startHost();
    await host.api('demo.start', { printers: 2 });
    await use(host);
    await host.stop();
  },
});

// The lab's first printer (sim/demo/scale-plan.ts): OctoPrint, printing from the start.
const BUSY = 'Prusa MK4 #1';
const PART = Buffer.from(';FLAVOR:Marlin\nG28\nG1 X10 Y10 F3000\n');
const FAILURE = `Could not send part.gcode to ${BUSY}`;

interface Recorded {
  title: string;
  body: string | undefined;
  tag: string | undefined;
}

/**
 * Runs in the page before its own scripts (as text: these specs are typed for Node, not the DOM):
 * every Notification the page makes is recorded, then made for real.
 */
const RECORD_NOTIFICATIONS = `(() => {
  const Real = window.Notification;
  window.__notifications = [];
  window.__lastNotification = null;
  window.Notification = class extends Real {
    constructor(title, options = {}) {
      window.__notifications.push({ title, body: options.body, tag: options.tag });
      super(title, options);
      window.__lastNotification = this;
    }
  };
})();`;
const recorded = (page: Page) => page.evaluate<Recorded[]>('window.__notifications');
/** Only the failure this test causes: a demo printer finishing a print meanwhile may alert too. */
const failures = async (page: Page) => (await recorded(page)).filter((n) => n.title === FAILURE);

/** Sends a file to the printing printer over the API, as a script would; OctoPrint refuses to start it. */
async function failOnBusy(lab: PrintdeckHost): Promise<string> {
  const devices = await lab.api<{ deviceId: string; name: string }[]>('devices.list', {});
  const deviceId = devices.find((d) => d.name === BUSY)!.deviceId;
  const { stagedId } = await lab.api<{ stagedId: string }>('files.stageBegin', { name: 'part.gcode', size: PART.length });
  await lab.api('files.stageChunk', { stagedId, offset: 0, dataBase64: PART.toString('base64') });
  await lab.api('files.stageFinish', { stagedId });
  await lab.api('printers.print', { deviceId, file: { kind: 'staged', stagedId } });
  return deviceId;
}

test('no browser notification while the switch is off; one for a failure once it is on, remembered across a reload', async ({ page, context, lab }) => {
  test.setTimeout(150_000);
  await context.grantPermissions(['notifications'], { origin: new URL(lab.url).origin });
  await page.addInitScript({ content: RECORD_NOTIFICATIONS });
  await page.goto(lab.openUrl);
  await expect(page.getByRole('article', { name: BUSY })).toHaveClass(/state-printing/, { timeout: 90_000 });

  // Switched off (the default): the failure is a toast, not a browser notification.
  await failOnBusy(lab);
  await expect(page.getByText(FAILURE).first()).toBeVisible({ timeout: 60_000 });
  expect(await recorded(page)).toEqual([]);

  await page.getByRole('button', { name: /^Notifications/ }).click();
  const centre = page.getByRole('dialog', { name: 'Notification centre' });
  await centre.getByRole('switch', { name: 'Show notifications on this computer' }).click();
  await expect(centre.getByRole('switch', { name: 'Show notifications on this computer' })).toBeChecked();
  await centre.getByRole('button', { name: 'Close notifications' }).click();

  const deviceId = await failOnBusy(lab);
  await expect.poll(() => failures(page), { timeout: 60_000 }).toEqual([
    { title: FAILURE, body: expect.any(String), tag: `printdeck:${deviceId}` },
  ]);

  // A click on it opens the printer.
  await page.evaluate("window.__lastNotification.onclick(new Event('click'))");
  await expect(page).toHaveURL(new RegExp(`#/devices/${encodeURIComponent(deviceId)}$`));

  // Remembered in this browser; the notifications already listed are not shown again.
  await page.reload();
  await page.getByRole('button', { name: /^Notifications/ }).click();
  await expect(page.getByRole('switch', { name: 'Show notifications on this computer' })).toBeChecked();
  await expect(centre.getByRole('listitem').filter({ hasText: FAILURE })).toHaveCount(2);
  expect(await failures(page)).toEqual([]);
});
