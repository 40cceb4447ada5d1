import { describe, expect, it } from 'vitest';
import {
  XYZ_UNKNOWN_REMAINING_MINUTES,
  decodeErrorValue,
  decodeStatus,
  describeState,
  describeSubstate,
  encodeStatusLines,
  isJobFinishedState,
  listStates,
  normaliseStateCode,
  toDeviceFields,
  type XyzField,
} from '../../../src/main/printers/xyz/protocol';

const f = (text: string): XyzField[] =>
  text
    .split('\n')
    .filter(Boolean)
    .map((l) => ({ key: l.slice(0, 1), value: l.slice(2) }));
const one = (line: string) => decodeStatus(f(line));

const NANO = `b:0
c:{357,377,399,373,381,383,388,376,363,0.0,0.0,0.0}
d:0,0,0
w:1,GB9XZTH988P001
e:0
f:1,1100000
i:3FNAXPUS5TH7CM0041
j:9511,0
L:1,1279,187,108
m:0,0,0
o:p8,t1,c1,a+
p:dv1NX0A000
s:{"fm":0,"fd":1,"sd":"yes","button":"no","buzzer":"on"}
t:1,22,0
v:3.2.0
n:daVinci Nano    
X:75,GB-0002-0000-TH-7CG-0270-185
l:en
z:-469`;

const PLUS = `4:192.168.1.126
b:--
e:2
f:1,0
i:3F11XPGBXTH5320151
j:10
L:1,69342,21785
n:da Vinci 1.1 Plus
o:p8,t1,c0
p:dvF110B000
t:1,--,--
v:1.1.0.19,1.1.7.3,N/A
w:1,--------------`;

describe('status keys', () => {
  it('b: bed temperature, -- = not available', () => {
    expect(one('b:61').bedTempC).toBe(61);
    expect(one('b:--').bedTempC).toBeNull();
  });
  it('c: variable-length sensor list with decimals', () => {
    expect(one('c:{1,2,3,0.5}').bedLevelSensors).toEqual([1, 2, 3, 0.5]);
  });
  it('d: progress, elapsed, remaining with the unknown sentinel', () => {
    expect(one('d:68,27,12').job).toEqual({ percent: 68, elapsedMin: 27, remainingMin: 12 });
    expect(one(`d:5,1,${XYZ_UNKNOWN_REMAINING_MINUTES}`).job?.remainingMin).toBeNull();
    expect(one('d:0,0,0').job).toBeNull();
  });
  it('e: several comma-separated error values with extruder flags', () => {
    const s = one('e:1073742342,1073742345');
    expect(s.errorValues).toEqual([0x40000206, 0x40000209]);
    expect(s.errors?.map((e) => [e.source, e.code, e.lcdCode])).toEqual([
      ['extruder1', 0x0206, '0028'],
      ['extruder1', 0x0209, '0008'],
    ]);
    expect(one('e:0').errors).toEqual([]);
  });
  it('f: spools, -1 = no cartridge', () => {
    expect(one('f:2,1000,-1').filamentRemainingMm).toEqual([1000, null]);
  });
  it('h, i, k, l, m, n, p, z, V', () => {
    const s = decodeStatus(f('h:1\ni:3FM1XP??12\nk:50\nl:de\nm:0,0,0\nn:My  printer  \np:dv1MX0A000\nz:12\nV:5.1.5'));
    expect(s).toMatchObject({
      plaLoaded: true,
      serial: '3FM1XP--12',
      calibratedMaterial: 50,
      language: 'de',
      m: [0, 0, 0],
      name: 'My  printer',
      modelNumber: 'dv1MX0A000',
      zOffsetHundredthsMm: 12,
      wifiFirmware: '5.1.5',
    });
  });
  it('j: new codes with substate, old 2-digit codes normalised', () => {
    expect(one('j:9530,12').state).toMatchObject({ code: 9530, substate: 12, legacy: false });
    expect(one('j:10').state).toMatchObject({ code: 9511, substate: null, legacy: true });
    expect(one('j:11').state?.code).toBe(9505);
  });
  it('o: block size, auto-level; absent a on 1.1 Plus', () => {
    expect(one('o:p8,t1,c1,a-').options).toEqual({ blockSizeBytes: 8192, t: 1, c: 1, autoLevel: false });
    expect(one('o:p4,t1,c0').options).toEqual({ blockSizeBytes: 4096, t: 1, c: 0, autoLevel: null });
  });
  it('s: capability JSON incl. doors, engraver, open filament', () => {
    expect(one('s:{"buzzer":"off","dr":{"top":"on","front":"off"},"eh":"1","of":"0"}').capabilities).toMatchObject({
      buzzer: false,
      topDoor: true,
      frontDoor: false,
      laserEngraver: true,
      openFilament: false,
    });
  });
  it('t: one extruder with target; two extruders; -- values', () => {
    expect(one('t:1,212,210').extruders).toEqual([{ actualC: 212, targetC: 210 }]);
    expect(one('t:2,200,190').extruders).toEqual([
      { actualC: 200, targetC: null },
      { actualC: 190, targetC: null },
    ]);
    expect(one('t:1,--,--').extruders).toEqual([{ actualC: null, targetC: null }]);
  });
  it('v: single version or os,app,engine', () => {
    expect(one('v:1.1.0.19,1.1.7.3,N/A').firmware).toEqual({
      version: '1.1.7.3',
      os: '1.1.0.19',
      app: '1.1.7.3',
      engine: 'N/A',
    });
  });
  it('w: cartridge serials, dashes = none, extra default temp', () => {
    expect(one('w:1,--------------').cartridges).toEqual({ count: 1, serials: [null], extra: null });
    expect(one('w:2,AAA,BBB').cartridges?.serials).toEqual(['AAA', 'BBB']);
    expect(one('w:1,AAA,210').cartridges).toEqual({ count: 1, serials: ['AAA'], extra: '210' });
  });
  it('G, L, O, W, X, Z', () => {
    const s = decodeStatus(
      f(
        'G:{"LastUsed":"1234"}\nL:1,100,50\nO:{"nozzle":"210","bed":"60"}\nW:[{"ssid":"x"}]\nX:54,AA-BB-CC-DD-EE-FF-77\nZ:{"PrintFile":"AstroKey.3w","Complete":0}',
      ),
    );
    expect(s.lastUsedFilament).toBe('1234');
    expect(s.lifetime).toEqual({ first: 1, machineMin: 100, extruderMin: 50, lastMin: null });
    expect(s.targetTemps).toEqual({ nozzleC: 210, bedC: 60 });
    expect(s.wifiInfo).toEqual([{ ssid: 'x' }]);
    expect(s.nozzle).toMatchObject({ typeId: '54', diameterMm: 0.6, printMinutes: 77 });
    expect(s.printFile).toEqual({ name: 'AstroKey.3w', complete: false });
  });
  it('4: bare IP or wlan JSON with positive rssi meaning -dBm', () => {
    expect(one('4:192.168.1.126').network).toMatchObject({ ip: '192.168.1.126', connected: true });
    expect(one('4:{"wlan":{"ip":"0.0.0.0","ssid":"lab","channel":"6","MAC":"aa","rssiValue":"61"}}').network).toEqual({
      ip: '0.0.0.0',
      ssid: 'lab',
      channel: 6,
      mac: 'aa',
      rssiDbm: -61,
      connected: false,
    });
  });
  it('malformed values are reported in issues, never thrown, and keep the previous typed value', () => {
    const base = one('j:9505,0');
    const s = decodeStatus(f('j:banana\nd:1,2\ns:{oops\nb:hot'), base);
    expect(s.issues).toHaveLength(4);
    expect(s.state?.code).toBe(9505);
    expect(s.raw.j).toBe('banana');
  });
  it('partial polls merge into the last full status', () => {
    const base = decodeStatus(f(NANO));
    const merged = decodeStatus(f('j:9505,0\nd:10,1,30'), base);
    expect(merged.serial).toBe('3FNAXPUS5TH7CM0041');
    expect(merged.state?.code).toBe(9505);
    expect(merged.job?.percent).toBe(10);
  });
});

describe('state and error tables', () => {
  it('every documented state has a name, text and normalised state', () => {
    expect(listStates().length).toBeGreaterThanOrEqual(35);
    expect(describeState(9511)).toMatchObject({ name: 'PRINT_NONE', state: 'idle' });
    expect(describeState(9505)).toMatchObject({ name: 'PRINT_IN_PROGRESS', state: 'printing' });
    expect(describeState(9520).state).toBe('checking');
    expect(describeState(9601).state).toBe('paused');
    expect(describeState(9602).state).toBe('cancelling');
    expect(describeState(9700).state).toBe('busy');
    expect(describeState(9517).state).toBe('error');
    expect(describeState(1234)).toMatchObject({ name: 'UNKNOWN', state: 'unknown' });
    expect(normaliseStateCode(8)).toBe(9509);
    expect(describeSubstate(9535, 41)).toBe('lower the detector');
    expect(isJobFinishedState(9509) && isJobFinishedState(10)).toBe(true);
  });
  it('error values decode flags, code, LCD code and message', () => {
    expect(decodeErrorValue(0x40000206)).toMatchObject({
      source: 'extruder1',
      code: 0x0206,
      name: 'M_NO_CASSETTE',
      lcdCode: '0028',
    });
    expect(decodeErrorValue(0x20000101)).toMatchObject({ source: 'extruder2', lcdCode: '0012' });
    expect(decodeErrorValue(0x020d).message).toContain('Unsupported file version');
    expect(decodeErrorValue(0x001b).busy).toBe(true);
    expect(decodeErrorValue(0x7777).message).toBe('Printer error 0x7777');
  });
});

describe('toDeviceFields', () => {
  it('1.1 Plus (seed): legacy idle state, e:2 is not a problem, -- temps are null', () => {
    const d = toDeviceFields(decodeStatus(f(PLUS)));
    expect(d).toMatchObject({
      model: 'da Vinci 1.1 Plus',
      serial: '3F11XPGBXTH5320151',
      firmware: '1.1.0.19/1.1.7.3/N/A',
      state: 'idle',
      problem: null,
      job: null,
    });
    expect(d.temperatures).toEqual([]);
  });
  it('errors become a problem; unknown remaining stays null; O targets win', () => {
    const d = toDeviceFields(
      decodeStatus(
        f(
          `p:dvF1W0A000\nj:9505,0\nd:40,10,${XYZ_UNKNOWN_REMAINING_MINUTES}\ne:1073742342\nt:1,200,0\nO:{"nozzle":"210","bed":"60"}\nb:55`,
        ),
      ),
    );
    expect(d.problem).toEqual({ code: 'xyz-0x40000206', message: 'Extruder 1: No filament cartridge (0028)' });
    expect(d.job).toMatchObject({ progress: 0.4, elapsedSec: 600, remainingSec: null });
    expect(d.temperatures).toEqual([
      { sensor: 'tool0', actual: 200, target: 210 },
      { sensor: 'bed', actual: 55, target: 60 },
    ]);
  });
  it('an unknown status maps to unknown', () => {
    expect(toDeviceFields(decodeStatus([]))).toMatchObject({
      state: 'unknown',
      stateText: 'Unknown',
      model: null,
      job: null,
    });
  });
});

describe('status encoder (printer side)', () => {
  it('re-encodes the nano reply exactly (key order, 0.0 decimals, JSON), minus trimmed padding', () => {
    expect(encodeStatusLines(decodeStatus(f(NANO)))).toEqual(NANO.split('\n').map((l) => l.trimEnd()));
  });
  it('typed edits are reflected and decode back', () => {
    const s = decodeStatus(f(NANO));
    s.state = { ...s.state!, code: 9505, substate: 0 };
    s.job = { percent: 50, elapsedMin: 5, remainingMin: null };
    const back = decodeStatus(f(encodeStatusLines(s).join('\n')));
    expect(back.state?.code).toBe(9505);
    expect(back.job).toEqual({ percent: 50, elapsedMin: 5, remainingMin: null });
    expect(back.raw.d).toBe(`50,5,${XYZ_UNKNOWN_REMAINING_MINUTES}`);
  });
  it('single-key selections keep the requested order', () => {
    expect(encodeStatusLines(decodeStatus(f(NANO)), 'jd')).toEqual(['j:9511,0', 'd:0,0,0']);
  });
});
