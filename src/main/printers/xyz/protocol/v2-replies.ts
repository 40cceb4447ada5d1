import { BoundedLineSplitter } from './line-splitter';

/**
 * Printer→host side of the v2 protocol: `KEY:value` lines and bare tokens, classified.
 */

export type XyzV2Token =
  | 'JOB_SUSPEND'
  | 'JOB_RESUME'
  | 'JOB_CANCEL'
  | 'FWOK'
  | 'FWNO'
  | 'M1_OK'
  | 'M1_FAIL'
  | 'M2_OK'
  | 'M2_FAIL'
  | 'OFFLINE_OK'
  | 'OFFLINE_FAIL'
  | 'OFFLINE_NO'
  | 'OFFLINE_NG'
  | 'CheckSumOK'
  | 'CheckSumFail'
  | 'HEADER_OK'
  | 'HEADER_FAIL'
  | 'M888_WAIT'
  | 'JOB_FINISH'
  | 'start'
  | 'Resend'
  | 'ok'
  | 'wait'
  | 'E0'
  | 'E35';

const TOKENS: ReadonlySet<string> = new Set<XyzV2Token>([
  'JOB_SUSPEND',
  'JOB_RESUME',
  'JOB_CANCEL',
  'FWOK',
  'FWNO',
  'M1_OK',
  'M1_FAIL',
  'M2_OK',
  'M2_FAIL',
  'OFFLINE_OK',
  'OFFLINE_FAIL',
  'OFFLINE_NO',
  'OFFLINE_NG',
  'CheckSumOK',
  'CheckSumFail',
  'HEADER_OK',
  'HEADER_FAIL',
  'M888_WAIT',
  'JOB_FINISH',
  'start',
  'Resend',
  'ok',
  'wait',
  'E0',
  'E35',
]);

export type XyzV2Line =
  /** A reply token from XYZware's list; `detail` is what followed a `:` (e.g. `PN:3` after CheckSumOK). */
  | { kind: 'token'; token: XyzV2Token; detail: string | null }
  | { kind: 'field'; key: string; value: string }
  | { kind: 'other'; text: string };

export function classifyV2Line(raw: string): XyzV2Line | null {
  const line = raw.trim();
  if (line === '') return null;
  // `XYZ_@3D:start` echoes the request prefix before the token.
  const body = line.startsWith('XYZ_@3D:') ? line.slice('XYZ_@3D:'.length) : line;
  const colon = body.indexOf(':');
  const head = colon < 0 ? body : body.slice(0, colon);
  if (TOKENS.has(head))
    return { kind: 'token', token: head as XyzV2Token, detail: colon < 0 ? null : body.slice(colon + 1).trim() };
  if (colon > 0) return { kind: 'field', key: head, value: body.slice(colon + 1).trim() };
  return { kind: 'other', text: line };
}

/** What the host should do after a reply to an upload step. */
export type XyzV2UploadVerdict = 'continue' | 'resend' | 'abort' | 'wait';

export function v2UploadVerdict(token: XyzV2Token): XyzV2UploadVerdict {
  switch (token) {
    case 'OFFLINE_OK':
    case 'M1_OK':
    case 'M2_OK':
    case 'CheckSumOK':
      return 'continue';
    case 'CheckSumFail':
    case 'Resend':
      return 'resend';
    case 'M888_WAIT':
    case 'wait':
      return 'wait';
    default:
      return 'abort';
  }
}

/** Streaming v2 reply reader: bounded line splitting plus classification. */
export class XyzV2ReplyParser {
  private readonly lines: BoundedLineSplitter;
  constructor(maxLineBytes = 4096) {
    this.lines = new BoundedLineSplitter(maxLineBytes);
  }
  get bufferedBytes(): number {
    return this.lines.bufferedBytes;
  }
  feed(chunk: Uint8Array): (XyzV2Line | { kind: 'overflow' })[] {
    const out: (XyzV2Line | { kind: 'overflow' })[] = [];
    for (const l of this.lines.feed(chunk)) {
      if (l === null) out.push({ kind: 'overflow' });
      else {
        const c = classifyV2Line(l);
        if (c) out.push(c);
      }
    }
    return out;
  }
}

export interface XyzV2Info {
  model: string | null;
  firmware: string | null;
  serial: string | null;
  protocol: string | null;
  machineName: string | null;
  osVersion: string | null;
  appVersion: string | null;
  printerName: string | null;
  ip: string | null;
}

function pick(fields: ReadonlyMap<string, string>, key: string): string | null {
  const v = fields.get(key);
  return v === undefined || v === '' ? null : v;
}

/** Collects `KEY:value` lines of one reply into a map (last value wins). */
export function v2Fields(lines: readonly (XyzV2Line | { kind: 'overflow' })[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const l of lines) if (l.kind === 'field') map.set(l.key, l.value);
  return map;
}

/** Reply to `XYZ_@3D:0`. */
export function decodeV2Info(fields: ReadonlyMap<string, string>): XyzV2Info {
  return {
    model: pick(fields, 'MDU'),
    firmware: pick(fields, 'FW_V'),
    serial: pick(fields, 'MCH_ID'),
    protocol: pick(fields, 'PROTOCOL'),
    machineName: pick(fields, 'Welcome'),
    osVersion: pick(fields, 'OS_V'),
    appVersion: pick(fields, 'APP_V'),
    printerName: pick(fields, 'PRT_NAME'),
    ip: pick(fields, 'PRT_IP'),
  };
}

export interface XyzV2Status {
  percent: number | null;
  workTime: number | null;
  estimatedTime: number | null;
  extruder1C: number | null;
  extruder2C: number | null;
  bedC: number | null;
  machineState: number | null;
  printState: number | null;
  language: string | null;
}

function n(fields: ReadonlyMap<string, string>, key: string): number | null {
  const v = fields.get(key)?.trim();
  return v !== undefined && /^-?\d+(?:\.\d+)?$/.test(v) ? Number(v) : null;
}

/** Reply to `XYZ_@3D:8`. Units of the times are not documented; they are passed on as sent. */
export function decodeV2Status(fields: ReadonlyMap<string, string>): XyzV2Status {
  return {
    percent: n(fields, 'WORK_PARSENT'),
    workTime: n(fields, 'WORK_TIME'),
    estimatedTime: n(fields, 'EST_TIME'),
    extruder1C: n(fields, 'ET0'),
    extruder2C: n(fields, 'ET1'),
    bedC: n(fields, 'BT'),
    machineState: n(fields, 'MCH_STATE'),
    printState: n(fields, 'PRN_STATE'),
    language: pick(fields, 'LANG'),
  };
}

export interface XyzV2Cartridge {
  present: boolean;
  xyzCode: string | null;
  material: string | null;
  colorRgb: string | null;
  date: string | null;
  totalMm: number | null;
  remainingMm: number | null;
  headC: number | null;
  bedC: number | null;
  serialHex: string | null;
  fields: string[];
}

/** `EE1:` / `EE2:` cartridge EEPROM lines, or `W1:--------------` for none. */
export function decodeV2Cartridge(value: string): XyzV2Cartridge {
  const parts = value.split(',').map((p) => p.trim());
  const num = (i: number): number | null => {
    const p = parts[i];
    return p !== undefined && /^\d+$/.test(p) ? Number(p) : null;
  };
  const present = !/^-+$/.test(value.trim()) && parts.length > 1;
  const at = (i: number): string | null => (present ? (parts[i] ?? null) : null);
  return {
    present,
    xyzCode: at(0),
    material: at(1),
    colorRgb: at(2),
    date: at(3),
    totalMm: present ? num(4) : null,
    remainingMm: present ? num(5) : null,
    headC: present ? num(6) : null,
    bedC: present ? num(7) : null,
    serialHex: at(10),
    fields: parts,
  };
}
