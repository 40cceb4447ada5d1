import type { AppNotification } from '../contract/app';

/**
 * Which notices are worth interrupting someone for outside the window (a native notification in
 * the desktop app, a browser notification in headless mode), decided once for both: what needs a
 * person — warnings and errors — and a finished print (success), the one a maker at the desk waits
 * for. Information stays in the window's toasts and the notification centre. A lab of hundreds of
 * printers finishes prints all day; the per-minute gate below and one tag per printer keep that
 * to a few alerts, the rest waits in the notification centre.
 */
export function worthAlerting(n: Pick<AppNotification, 'level'>): boolean {
  return n.level !== 'info';
}

/** A finished print is news, not an alarm: shown without a sound where the platform has one. */
export function quietAlert(n: Pick<AppNotification, 'level'>): boolean {
  return n.level === 'success';
}

/** At most this many alerts per minute: a failure spreading over a room is one alarm, not fifty. */
export const ALERTS_PER_MINUTE = 3;
const MINUTE_MS = 60_000;

/** Alerts about one printer share a tag, so a newer one replaces the older instead of piling up. */
export function alertTag(n: Pick<AppNotification, 'deviceId' | 'route'>): string {
  return `printdeck:${n.deviceId ?? n.route ?? 'app'}`;
}

/**
 * Lets through what is worth alerting, at most `perMinute` in any minute (a sliding window); the
 * rest is not lost, it stays in the notification centre. Pure apart from the times it is given.
 */
export class AlertGate {
  private readonly shown: number[] = [];

  constructor(private readonly perMinute = ALERTS_PER_MINUTE) {}

  admit(n: Pick<AppNotification, 'level'>, now: number): boolean {
    if (!worthAlerting(n)) return false;
    while (this.shown.length > 0 && now - this.shown[0]! >= MINUTE_MS) this.shown.shift();
    if (this.shown.length >= this.perMinute) return false;
    this.shown.push(now);
    return true;
  }
}
