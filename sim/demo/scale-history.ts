import type { DemoPastNotice } from '../../src/main/demo-fleet-port';
import { scaleLab, type ScalePrinter } from './scale-plan';

/**
 * What a lab of N printers went through over the past days, as the notification centre would have
 * stored it: prints finished, prints failed, printers that dropped off the network and came back.
 * The printers failing now failed yesterday. Deterministic for the same N and day, in the
 * wording Printdeck itself uses for these notices; days before yesterday are read, the rest not.
 */

/** How many days back the history goes (yesterday is 1). */
export const HISTORY_DAYS = 3;
const DAY_MS = 24 * 60 * 60 * 1000;
const FILE = 'fleet-part.gcode';

/** A number in [0, 1) from a printer, a day and a salt: the same lab has the same past. */
function chance(index: number, day: number, salt: number): number {
  return (Math.imul((index + 1) * 7919 + day * 104_729 + salt * 15_485_863, 2654435761) >>> 0) / 2 ** 32;
}

/** Local midnight of the day `now` falls in: "yesterday" is the user's yesterday, not UTC's. */
function startOfDay(now: number): number {
  const d = new Date(now);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

const FAILURE: Record<ScalePrinter['family'], string> = {
  octoprint: 'Thermal Runaway, system stopped! Heater_ID: 0',
  moonraker: "MCU 'mcu' shutdown: Timer too close",
  xyz: 'Error 0x0011: extruder temperature out of range',
};

function noticesOf(p: ScalePrinter, index: number, day: number, dayStart: number): Omit<DemoPastNotice, 'read'>[] {
  const at = (salt: number, from = 0.25, to = 0.95) => dayStart + Math.floor((from + chance(index, day, salt) * (to - from)) * DAY_MS);
  const out: Omit<DemoPastNotice, 'read'>[] = [];
  const about = { simulatorId: p.id };
  if (p.role === 'failing' && day === 1) {
    out.push({ ...about, level: 'error', title: `${p.name}: print failed`, body: FAILURE[p.family], at: at(1) });
    return out;
  }
  if (p.role === 'failing' && day < 1) return out;
  if (chance(index, day, 2) < 0.09) out.push({ ...about, level: 'success', title: `${p.name} finished`, body: `${FILE} is done.`, at: at(3) });
  if (chance(index, day, 4) < 0.012) out.push({ ...about, level: 'error', title: `${p.name}: print failed`, body: FAILURE[p.family], at: at(5) });
  if (chance(index, day, 6) < 0.015) {
    const lost = at(7, 0.2, 0.8);
    out.push({ ...about, level: 'warning', title: `${p.name} went offline`, body: `It was working on ${FILE}.`, at: lost });
    out.push({ ...about, level: 'info', title: `${p.name} is back online`, body: `Still printing ${FILE}.`, at: lost + 5 * 60_000 + Math.floor(chance(index, day, 8) * 40 * 60_000) });
  }
  return out;
}

/** The past notices of a lab of `count` printers as of `now`, oldest first; none from `now` on. */
export function scaleDemoHistory(count: number, now: number): DemoPastNotice[] {
  const today = startOfDay(now);
  const notices: DemoPastNotice[] = [];
  scaleLab(count).forEach((p, index) => {
    for (let day = HISTORY_DAYS; day >= 0; day--) {
      // Day starts are found by the calendar (a day around a clock change is not 24 hours).
      const dayStart = startOfDay(today - day * DAY_MS + DAY_MS / 2);
      for (const n of noticesOf(p, index, day, dayStart)) if (n.at < now) notices.push({ ...n, read: day >= 2 });
    }
  });
  return notices.sort((a, b) => a.at - b.at);
}
