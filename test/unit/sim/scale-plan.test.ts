import { describe, expect, it } from 'vitest';
import { DemoStartRequest } from '../../../src/shared/contract';
import { scaleDemoPlan, scalePrinterRole } from '../../../sim/demo/scale-plan';

describe('demo fleet at scale', () => {
  it('plans exactly the printers asked for, each with its own id, capped at the contract maximum', () => {
    const plan = scaleDemoPlan(250);
    expect(plan).toHaveLength(250);
    expect(new Set(plan.map((e) => e.id)).size).toBe(250);
    expect(scaleDemoPlan(5000)).toHaveLength(1000);
    expect(scaleDemoPlan(0)).toHaveLength(0);
  });

  it('spreads a lab over every family, mostly printing, a few failing', () => {
    const roles = Array.from({ length: 1000 }, (_, i) => scalePrinterRole(i));
    const share = (pred: (r: (typeof roles)[number]) => boolean) => roles.filter(pred).length / roles.length;
    for (const family of ['octoprint', 'moonraker', 'xyz'] as const) expect(share((r) => r.family === family)).toBeGreaterThan(0.01);
    expect(share((r) => r.role === 'printing')).toBeGreaterThan(0.5);
    expect(share((r) => r.role === 'failing')).toBeGreaterThan(0.01);
    expect(share((r) => r.role === 'failing')).toBeLessThan(0.1);
    expect(new Set(roles.map((r) => r.startAt.toFixed(2))).size).toBeGreaterThan(50);
  });

  it('puts every printer to work when asked, on the families that can start a job by themselves', () => {
    const roles = Array.from({ length: 1000 }, (_, i) => scalePrinterRole(i, { allPrinting: true }));
    expect(roles.every((r) => r.role === 'printing')).toBe(true);
    expect(roles.some((r) => r.family === 'xyz')).toBe(false);
    expect(roles.some((r) => r.family === 'moonraker')).toBe(true);
    expect(roles.filter((r, i) => r.family === 'moonraker' && scalePrinterRole(i).family !== 'moonraker')).toEqual([]);
    expect(scaleDemoPlan(300, { allPrinting: true })).toHaveLength(300);
  });

  it('takes allPrinting in demo.start only with a lab size', () => {
    expect(DemoStartRequest.safeParse({ printers: 10, allPrinting: true }).success).toBe(true);
    expect(DemoStartRequest.safeParse({ allPrinting: true }).success).toBe(false);
  });

  it('is the same fleet for the same size', () => {
    expect(Array.from({ length: 50 }, (_, i) => scalePrinterRole(i))).toEqual(Array.from({ length: 50 }, (_, i) => scalePrinterRole(i)));
  });
});
