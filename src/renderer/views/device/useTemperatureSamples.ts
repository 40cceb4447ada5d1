import { useEffect, useState } from 'react';
import type { DeviceStatus, TemperatureSample } from '../../../shared/contract';
import { api } from '../../api';

const KEEP = 4000;

/** The device's temperature history from main, then extended live from its status snapshots. */
export function useTemperatureSamples(device: DeviceStatus): TemperatureSample[] {
  const [samples, setSamples] = useState<TemperatureSample[]>([]);
  const deviceId = device.deviceId;

  useEffect(() => {
    let live = true;
    void api()
      .call('printers.temperatureHistory', { deviceId })
      .then((r) => {
        if (live && r.ok) setSamples((current) => merge(r.value.samples, current));
      });
    return () => {
      live = false;
    };
  }, [deviceId]);

  useEffect(() => {
    if (device.temperatures.length === 0) return;
    const t = device.updatedAt;
    setSamples((current) => {
      if (current.length && current[current.length - 1]!.t >= t) return current;
      const next = current.concat(device.temperatures.map((temp) => ({ t, sensor: temp.sensor, actual: temp.actual, target: temp.target })));
      return next.length > KEEP ? next.slice(next.length - KEEP) : next;
    });
  }, [device.updatedAt, device.temperatures]);

  return samples;
}

function merge(history: TemperatureSample[], live: TemperatureSample[]): TemperatureSample[] {
  const lastHistoric = history.length ? history[history.length - 1]!.t : 0;
  return history.concat(live.filter((s) => s.t > lastHistoric)).slice(-KEEP);
}
