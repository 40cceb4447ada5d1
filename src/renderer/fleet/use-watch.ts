import { useEffect } from 'react';
import { api } from '../api';

/** Waits for scrolling to settle before telling the host, so a fling sends one call, not dozens. */
const SETTLE_MS = 200;

/**
 * Tells the host which devices this screen shows, so it sends their changes at once and the
 * rest of a large fleet only as a slow summary; on leaving, everything at full rate again (the
 * device page and other screens read the store directly).
 */
export function useWatchDevices(deviceIds: readonly string[]): void {
  const key = deviceIds.join('\u0000');
  useEffect(() => {
    const ids = key === '' ? [] : key.split('\u0000');
    const timer = setTimeout(() => void api().call('devices.watch', { deviceIds: ids }), SETTLE_MS);
    return () => clearTimeout(timer);
  }, [key]);
  useEffect(() => () => void api().call('devices.watch', { deviceIds: null }), []);
}
