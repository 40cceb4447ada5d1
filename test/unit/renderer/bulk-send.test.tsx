// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { setClient } from '../../../src/renderer/api';
import { leftOut, sendRequestOf, sendRow, sendSummary } from '../../../src/renderer/fleet/bulk-send';
import { useDevicesStore } from '../../../src/renderer/stores/devices-store';
import { BulkSend } from '../../../src/renderer/views/fleet/BulkSend';
import type { SendPlanEntry, SendResult, TransferProgress } from '../../../src/shared/contract';
import { deviceStatus } from '../../support/device-status';
import { fakeClient } from './fake-client';

const PLAN: SendPlanEntry[] = [
  { deviceId: 'a', name: 'Nano 1', plan: 'print', reason: null },
  { deviceId: 'b', name: 'Jr', plan: 'skip', reason: 'The file was made for dv1NX0A000; Jr takes daVinciJR10W.' },
  { deviceId: 'c', name: 'Nano busy', plan: 'busy', reason: 'Nano busy is printing cube.3w.' },
  { deviceId: 'd', name: 'Nano 2', plan: 'print', reason: null },
];
const sending = (deviceId: string, name: string, transferId: string): SendResult => ({ deviceId, name, outcome: 'sending', transferId, jobId: null, message: null });
const progress = (deviceId: string, transferId: string, phase: TransferProgress['phase'], sentBytes = 50): TransferProgress => ({
  deviceId,
  transferId,
  fileName: 'part.3w',
  phase,
  sentBytes,
  totalBytes: 100,
  message: phase === 'failed' ? 'The printer refused the file.' : null,
});

describe('send one file to several printers: what the renderer decides', () => {
  it('prints on the compatible printers and queues only on the busy ones the person kept ticked', () => {
    expect(sendRequestOf(PLAN, new Set(['c']))).toEqual({ print: ['a', 'd'], queue: ['c'] });
    expect(sendRequestOf(PLAN, new Set())).toEqual({ print: ['a', 'd'], queue: [] });
    expect(leftOut(PLAN, new Set()).map((r) => [r.name, r.text])).toEqual([
      ['Jr', 'Skipped: The file was made for dv1NX0A000; Jr takes daVinciJR10W.'],
      ['Nano busy', 'Skipped: Nano busy is printing cube.3w.'],
    ]);
  });

  it("follows each printer's own transfer to a clear result, never an older transfer's", () => {
    const r = sending('a', 'Nano 1', 't1');
    expect(sendRow(r, undefined)).toMatchObject({ state: 'working' });
    expect(sendRow(r, progress('a', 'old', 'done'))).toMatchObject({ state: 'working' });
    expect(sendRow(r, progress('a', 't1', 'uploading'))).toMatchObject({ state: 'working', progress: 0.5, text: 'Uploading…' });
    expect(sendRow(r, progress('a', 't1', 'done'))).toMatchObject({ state: 'started' });
    expect(sendRow(r, progress('a', 't1', 'failed'))).toMatchObject({ state: 'failed', text: 'Failed: The printer refused the file.' });
    expect(sendRow({ ...r, outcome: 'queued', transferId: null, jobId: 'j' }, undefined)).toMatchObject({ state: 'queued' });
  });

  it('sums up only once every printer has its answer', () => {
    const rows = [sendRow(sending('a', 'A', 't1'), progress('a', 't1', 'done')), ...leftOut(PLAN, new Set())];
    expect(sendSummary(rows)).toBe('1 printing, 2 skipped');
    expect(sendSummary([...rows, sendRow(sending('d', 'D', 't2'), undefined)])).toBeNull();
  });
});

describe('BulkSend', () => {
  afterEach(() => {
    cleanup();
    useDevicesStore.setState({ transfers: {} });
  });

  it('stages the file once, confirms who prints, who is busy and who is skipped, then shows each result', async () => {
    const stagings: unknown[] = [];
    const fake = fakeClient({
      'files.stageBegin': (p) => (stagings.push(p), { stagedId: '5d0b3a4e-8f1a-4c1b-9a57-1d2c3b4a5e6f', chunkBytes: 1024 }),
      'files.stageChunk': () => ({ received: 6 }),
      'files.stageFinish': () => ({ stagedId: '5d0b3a4e-8f1a-4c1b-9a57-1d2c3b4a5e6f', size: 6, sha256: 'x' }),
      'queue.checkPrinters': () => ({ fileName: 'part.3w', printers: PLAN }),
      'queue.sendToPrinters': () => ({
        fileName: 'part.3w',
        results: [
          sending('a', 'Nano 1', 't1'),
          sending('d', 'Nano 2', 't2'),
          { deviceId: 'c', name: 'Nano busy', outcome: 'queued', transferId: null, jobId: 'j1', message: 'Queued for Nano busy.' },
        ],
      }),
    });
    setClient(fake.client);
    render(<BulkSend devices={['a', 'b', 'c', 'd'].map((id) => deviceStatus(id))} />);
    fireEvent.click(screen.getByRole('button', { name: 'Send a file… (4)' }));
    fireEvent.change(screen.getByLabelText('File to send to the selected printers'), { target: { files: [new File(['G28\nG1'], 'part.3w')] } });

    const dialog = await screen.findByRole('dialog', { name: /Print part.3w on 2 printers and queue it on 1/ });
    expect(stagings).toHaveLength(1);
    expect(within(within(dialog).getByRole('region', { name: 'Will print' })).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['Nano 1', 'Nano 2']);
    expect(within(dialog).getByRole('region', { name: 'Skipped' }).textContent).toMatch(/Jr: The file was made for dv1NX0A000/);
    expect((within(dialog).getByRole('checkbox', { name: /Queue on Nano busy instead/ }) as HTMLInputElement).checked).toBe(true);
    expect(fake.calls.some((c) => c.method === 'queue.sendToPrinters')).toBe(false);

    fireEvent.click(within(dialog).getByRole('button', { name: 'Print on 2, queue on 1' }));
    await waitFor(() => expect(screen.getByRole('list', { name: 'Result per printer' })).toBeTruthy());
    const sent = fake.calls.find((c) => c.method === 'queue.sendToPrinters')!.payload as { file: { stagedId: string }; print: string[]; queue: string[] };
    expect(sent).toMatchObject({ file: { kind: 'staged', stagedId: '5d0b3a4e-8f1a-4c1b-9a57-1d2c3b4a5e6f' }, print: ['a', 'd'], queue: ['c'] });
    expect(screen.getByRole('status').textContent).toBe('Sending…');

    useDevicesStore.setState({ transfers: { a: progress('a', 't1', 'done'), d: progress('d', 't2', 'failed') } });
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('1 printing, 1 queued, 1 skipped, 1 failed'));
    const rows = within(screen.getByRole('list', { name: 'Result per printer' })).getAllByRole('listitem').map((li) => li.textContent);
    expect(rows).toEqual([
      'Nano 1 Printing: the printer took the file.',
      'Nano 2 Failed: The printer refused the file.',
      'Nano busy Queued: it starts when the printer is free.',
      'Jr Skipped: The file was made for dv1NX0A000; Jr takes daVinciJR10W.',
    ]);
  });
});
