// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { setClient } from '../../../src/renderer/api';
import { MqttPanel } from '../../../src/renderer/views/settings/MqttPanel';
import type { MqttView } from '../../../src/shared/contract';
import { fakeClient } from './fake-client';

const VIEW: MqttView = {
  settings: {
    enabled: false,
    url: '',
    username: null,
    site: 'lab',
    hostName: 'bench-pc',
    discovery: true,
    discoveryPrefix: 'homeassistant',
    commands: [],
    camera: false,
  },
  hostUid: '0123456789abcdef',
  hasPassword: false,
  link: { state: 'off', message: null },
};

describe('MQTT settings panel', () => {
  afterEach(cleanup);

  it('saves the broker, the password (sent once, never shown) and the commands ticked', async () => {
    const fake = fakeClient({
      'mqtt.get': () => VIEW,
      'mqtt.configure': (p) => ({ ...VIEW, settings: { ...VIEW.settings, ...(p as object) }, hasPassword: true, link: { state: 'connecting', message: null } }),
    });
    setClient(fake.client);
    render(<MqttPanel />);
    fireEvent.click(await screen.findByLabelText('Publish to a broker'));
    fireEvent.change(screen.getByLabelText('Broker'), { target: { value: 'mqtts://broker.lab:8883' } });
    fireEvent.change(screen.getByLabelText(/^Password/), { target: { value: 's3cret' } });
    fireEvent.click(screen.getByLabelText('pause'));
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(fake.calls.some((c) => c.method === 'mqtt.configure')).toBe(true));
    expect(fake.calls.find((c) => c.method === 'mqtt.configure')?.payload).toMatchObject({
      enabled: true,
      url: 'mqtts://broker.lab:8883',
      password: 's3cret',
      commands: ['pause'],
    });
    expect(await screen.findByText(/stored; leave empty to keep it/)).toBeTruthy();
    expect((screen.getByLabelText(/^Password/) as HTMLInputElement).value).toBe('');
  });
});
