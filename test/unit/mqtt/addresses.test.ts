import { describe, expect, it } from 'vitest';
import { splitBrokerUrl } from '../../../src/main/mqtt/client';
import { parseSiteAddress } from '../../../src/main/mqtt/site-provider';
import { addressProblem, MqttConfigure } from '../../../src/shared/contract';

describe('broker and site addresses', () => {
  it('takes the user name out of a broker URL and fills in the default port', () => {
    expect(splitBrokerUrl('mqtts://lab-a@broker.example.org')).toEqual({ url: 'mqtts://broker.example.org:8883', username: 'lab-a', password: null });
    expect(splitBrokerUrl('mqtt://127.0.0.1:18830')).toEqual({ url: 'mqtt://127.0.0.1:18830', username: null, password: null });
    expect(splitBrokerUrl('http://broker')).toMatch(/mqtt:\/\/ or mqtts:\/\//);
  });

  it('a site address is a broker and a site name; a password never goes in it', () => {
    expect(addressProblem('site', 'mqtt://reader@broker:1883/lab-2')).toBeNull();
    expect(addressProblem('site', 'mqtt://broker:1883')).toMatch(/ends with the site name/);
    expect(addressProblem('site', 'mqtt://broker:1883/Lab 2')).toMatch(/ends with the site name/);
    expect(addressProblem('site', 'mqtt://u:p@broker:1883/lab-2')).toMatch(/password/);
    expect(addressProblem('site', 'http://broker/lab-2')).toMatch(/needs an address like/);
    expect(parseSiteAddress('mqtt://reader@broker:1883/lab-2', 'pw')).toEqual({ url: 'mqtt://broker:1883', username: 'reader', password: 'pw', site: 'lab-2' });
  });

  it('settings refuse credentials in the broker URL and publishing without a broker', () => {
    expect(MqttConfigure.safeParse({ url: 'mqtt://u:p@broker:1883' }).success).toBe(false);
    expect(MqttConfigure.safeParse({ enabled: true, url: '' }).success).toBe(false);
    expect(MqttConfigure.safeParse({ enabled: true, url: 'mqtts://broker:8883', commands: ['pause'] }).success).toBe(true);
    expect(MqttConfigure.safeParse({ commands: ['print-gcode'] }).success).toBe(false);
  });
});
