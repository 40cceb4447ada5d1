import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { ImssSandbox } from '../../sim/imss/imss-sandbox';
import { makeImages, makeJpeg } from '../../test/support/uploads-fixtures';
import { expect, test } from './host-fixture';

test('uploads: create a session, drop images, upload to a recipient, watch it delivered', async ({ page, host, openApp }) => {
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'e2e-imss-'));
  const sandbox = new ImssSandbox({ workDir, token: 'e2e-imss-token-0001' });
  await sandbox.start();
  try {
    await host.api('connections.add', { kind: 'imss', name: 'Lab IMSS', address: `grpc://${sandbox.address}`, secret: 'e2e-imss-token-0001' });
    const dir = mkdtempSync(path.join(os.tmpdir(), 'e2e-images-'));
    const photos = [makeJpeg(path.join(dir, 'bench-a.jpg')), makeJpeg(path.join(dir, 'bench-b.jpg'), 200, 150), ...makeImages(dir, 2, 300_000, 600_000, 'raw')];

    await openApp(page);
    await page.getByRole('link', { name: 'Uploads' }).click();
    await page.getByLabel('Session name').fill('Benchy day');
    await page.getByRole('button', { name: 'Start session' }).click();
    await expect(page.getByRole('heading', { name: 'Benchy day' })).toBeVisible();

    // The browser sends the bytes (it cannot name host paths): same as a drop onto the session.
    // The ordinary file chooser flow: a button opening a real file input.
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Add images…' }).click();
    await (await chooser).setFiles(photos);
    const grid = page.getByRole('list', { name: 'Session images' });
    await expect(grid.getByRole('listitem')).toHaveCount(4);
    // JPEGs get thumbnails made in main; the random-bytes files get an icon.
    await expect(grid.getByRole('img', { name: 'bench-a.jpg' })).toBeVisible();
    await expect(grid.getByRole('img', { name: /raw-0000\.jpg/ })).toBeVisible();

    await page.getByLabel('Recipient e-mail').fill('not-an-address');
    await page.getByRole('button', { name: 'Upload 4 images' }).click();
    await expect(page.getByRole('form', { name: 'Upload to a recipient' }).getByRole('alert')).toHaveText(/valid e-mail/);

    sandbox.imssFaults.bytesPerSecond = 400_000;
    await page.getByLabel('Recipient e-mail').fill('Lab.Manager@example.org');
    await page.getByRole('button', { name: 'Upload 4 images' }).click();
    const job = page.getByRole('article', { name: 'Upload to lab.manager@example.org' });
    await expect(job).toBeVisible();
    await expect(job.getByRole('progressbar', { name: /bytes$/ })).toBeVisible();
    await expect(job.getByText(/of 4 images/)).toBeVisible();
    sandbox.imssFaults.bytesPerSecond = 0;
    await expect(job.getByText('Delivered to')).toBeVisible({ timeout: 20_000 });
    await expect(job).toContainText('4 of 4 images');
    await expect(job.getByRole('progressbar', { name: /bytes$/ })).toHaveAttribute('aria-valuenow', '100');

    const outbox = readdirSync(path.join(workDir, 'outbox'));
    expect(outbox).toHaveLength(1);
    const entry = JSON.parse(readFileSync(path.join(workDir, 'outbox', outbox[0]!), 'utf8')) as { recipient: string; images: unknown[] };
    expect(entry).toMatchObject({ recipient: 'lab.manager@example.org' });
    expect(entry.images).toHaveLength(4);

    // Off the last clicked button: a hovered primary button takes the generic hover background.
    await page.mouse.move(0, 0);
    const a11y = await new AxeBuilder({ page }).include('main').analyze();
    expect(a11y.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ') + ' ' + (n.failureSummary ?? '')).join(' / ')}`)).toEqual([]);
  } finally {
    await sandbox.stop();
  }
});
