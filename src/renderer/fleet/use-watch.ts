import { useEffect, useRef } from 'react';
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
  // The first set goes at once: until the host has it, it sends this page every device at full rate.
  const told = useRef(false);
  useEffect(() => {
    const ids = key === '' ? [] : key.split('\u0000');
    const timer = setTimeout(() => void api().call('devices.watch', { deviceIds: ids }), told.current ? SETTLE_MS : 0);
    told.current = true;
    return () => clearTimeout(timer);
  }, [key]);
  useEffect(() => () => void api().call('devices.watch', { deviceIds: null }), []);
}
