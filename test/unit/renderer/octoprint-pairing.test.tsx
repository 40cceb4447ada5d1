// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Connection } from '../../../src/shared/contract';
import { setClient } from '../../../src/renderer/api';
import { OctoprintPairing } from '../../../src/renderer/views/settings/OctoprintPairing';
import { fakeClient } from './fake-client';

const connection: Connection = {
  id: 'c1',
  kind: 'octoprint',
  name: 'Ender 3',
  address: 'http://octopi.local',
  options: {},
  hasSecret: false,
  origin: 'user',
  createdAt: 0,
  updatedAt: 0,
};
const AUTH_URL = 'http://octopi.local/plugin/appkeys/auth/ABC?user=jo';

describe('OctoPrint pairing dialog', () => {
  afterEach(() => {
    cleanup();
    vi.restoreAllMocks();
  });

  it('opens the approval page, waits, and shows the outcome from the pairing event', async () => {
    const fake = fakeClient({
      'octoprint.pairStart': () => ({ connectionId: 'c1', phase: 'awaitingDecision', authDialogUrl: AUTH_URL, message: 'Approve Printdeck in the OctoPrint page that opened in your browser.' }),
      'octoprint.pairCancel': () => ({ done: true }),
    });
    setClient(fake.client);
    const open = vi.spyOn(window, 'open').mockImplementation(() => null);
    const done = vi.fn();
    render(<OctoprintPairing connection={connection} onDone={done} />);
    fireEvent.change(screen.getByLabelText('OctoPrint user (optional)'), { target: { value: 'jo' } });
    fireEvent.click(screen.getByRole('button', { name: 'Pair with OctoPrint' }));
    await waitFor(() => expect(open).toHaveBeenCalledWith(AUTH_URL, '_blank', 'noopener,noreferrer'));
    expect(fake.calls.find((c) => c.method === 'octoprint.pairStart')?.payload).toEqual({ connectionId: 'c1', user: 'jo' });
    expect(screen.getByRole('status').textContent).toContain('Approve Printdeck');
    expect(screen.getByRole('link', { name: 'Open the approval page again' }).getAttribute('href')).toBe(AUTH_URL);
    act(() => fake.emit([{ name: 'octoprint.pairing', payload: { connectionId: 'c1', phase: 'paired', authDialogUrl: null, message: 'Paired. The key is saved.' } }]));
    expect((await screen.findByRole('status')).textContent).toBe('Paired. The key is saved.');
    fireEvent.click(screen.getByRole('button', { name: 'Done' }));
    expect(done).toHaveBeenCalled();
  });

  it('shows why a pasted key was refused', async () => {
    const fake = fakeClient({ 'octoprint.pairCancel': () => ({ done: true }) });
    setClient(fake.client);
    render(<OctoprintPairing connection={connection} onDone={() => {}} />);
    fireEvent.change(screen.getByLabelText('Or paste an API key'), { target: { value: 'WRONGKEY1234' } });
    fireEvent.click(screen.getByRole('button', { name: 'Check and save key' }));
    expect((await screen.findByRole('alert')).textContent).toContain('no fake for octoprint.pairPasteKey');
  });
});
