/**
 * The `M115` reply: one info line (`FIRMWARE_NAME:… SOURCE_CODE_URL:… MACHINE_TYPE:…`), then one
 * `Cap:NAME:0|1` line per capability (a missing one means unsupported), then `ok`. Values contain
 * spaces (`MACHINE_TYPE:3D Printer`), so the line is split at `KEY:` words, never at spaces.
 * Marlin has no capability line for ADVANCED_OK: that is seen only in the `ok` replies.
 */
export function parseFirmwareInfo(line: string): Record<string, string> | null {
  if (!/^FIRMWARE_NAME:/i.test(line.trim())) return null;
  const info: Record<string, string> = {};
  const re = /(?:^|\s+)([A-Z][A-Z0-9_]*):/g;
  const marks: Array<{ key: string; start: number; end: number }> = [];
  for (const m of line.trim().matchAll(re)) marks.push({ key: m[1]!, start: m.index, end: m.index + m[0].length });
  const text = line.trim();
  for (let i = 0; i < marks.length; i++) {
    const value = text.slice(marks[i]!.end, i + 1 < marks.length ? marks[i + 1]!.start : text.length).trim();
    info[marks[i]!.key] = value.slice(0, 200);
  }
  return info;
}

export function parseCapability(line: string): { name: string; enabled: boolean } | null {
  const m = /^Cap:([A-Za-z0-9_]+):([01])\s*$/.exec(line.trim());
  return m ? { name: m[1]!.toUpperCase(), enabled: m[2] === '1' } : null;
}
