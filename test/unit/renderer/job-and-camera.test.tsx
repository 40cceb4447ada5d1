// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeviceStatus } from '../../../src/shared/contract';
import { DeviceCard } from '../../../src/renderer/views/DevicesView';
import { CameraPanel } from '../../../src/renderer/views/device/CameraPanel';
import { JobPanel } from '../../../src/renderer/views/device/JobPanel';
import { useAppStore } from '../../../src/renderer/stores/app-store';

const octoprint: DeviceStatus = {
  deviceId: 'octoprint:c1',
  connectionId: 'c1',
  family: 'octoprint',
  name: 'Bench Mk3',
  model: 'OctoPrint',
  serial: null,
  firmware: 'OctoPrint 1.11.8',
  link: 'online',
  state: 'idle',
  stateText: 'Operational',
  job: null,
  temperatures: [],
  filament: null,
  problem: null,
  capabilities: { print: true, pause: true, cancel: true, jog: true, home: true, loadFilament: false, unloadFilament: false, calibrate: false, camera: false, files: true, terminal: true },
  updatedAt: 0,
};
/** What a cancel leaves behind on OctoPrint: the selected file with no progress. */
const leftover = { name: 'part.gcode', progress: null, elapsedSec: null, remainingSec: null, taskId: null };

describe('job progress and the camera as a person sees them', () => {
  // The page is connected to its host: what it shows is current.
  beforeEach(() => useAppStore.setState({ link: 'open' }));
  afterEach(cleanup);

  it('draws no progress bar for a job of unknown progress on an idle printer, in the job panel and on the card', () => {
    render(
      <>
        <JobPanel device={{ ...octoprint, job: leftover }} />
        <DeviceCard device={{ ...octoprint, job: leftover }} />
      </>,
    );
    expect(screen.queryAllByRole('progressbar')).toHaveLength(0);
    expect(screen.getByText('No print running.')).toBeTruthy();
  });

  it('draws none on the "key refused" card either', () => {
    const refused: DeviceStatus = { ...octoprint, link: 'error', state: 'offline', stateText: 'API key refused', job: leftover, problem: { code: 'octoprint.keyInvalid', message: 'API key no longer valid — pair again' } };
    render(<DeviceCard device={refused} />);
    expect(screen.getByText('API key no longer valid — pair again')).toBeTruthy();
    expect(screen.queryAllByRole('progressbar')).toHaveLength(0);
  });

  it('draws an indeterminate bar only while a job is under way, and a measured one when progress is known', () => {
    render(<JobPanel device={{ ...octoprint, state: 'printing', stateText: 'Printing', job: leftover }} />);
    expect(screen.getByRole('progressbar').getAttribute('aria-valuetext')).toBe('unknown');
    cleanup();
    render(<DeviceCard device={{ ...octoprint, state: 'printing', stateText: 'Printing', job: { ...leftover, progress: 0.42 } }} />);
    expect(screen.getByRole('progressbar').getAttribute('aria-valuetext')).toBe('42%');
  });

  it('offers a snapshot only when the status says there is a camera', () => {
    render(<CameraPanel device={octoprint} />);
    expect(screen.queryByRole('button', { name: 'Take snapshot' })).toBeNull();
    cleanup();
    render(<CameraPanel device={{ ...octoprint, capabilities: { ...octoprint.capabilities, camera: true } }} />);
    expect(screen.getByRole('button', { name: 'Take snapshot' })).toBeTruthy();
  });
});
