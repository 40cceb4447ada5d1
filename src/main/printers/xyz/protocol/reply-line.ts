import type { XyzReplyEvent } from './reply-events';

const ERROR_LINE = /^E(\d*)\$?$/;
const NAMED_LINE = /^([A-Za-z0-9_]+):(.*)$/s;
const STAT = /"stat"\s*:\s*"([^"]*)"/;

/** Classifies one complete text line (terminator removed). Returns null for blank lines. */
export function classifyReplyLine(raw: string): XyzReplyEvent | null {
  // Firmware pads values with spaces and TCP peers may send CR; neither is meaningful.
  const line = raw.replace(/[\r\s]+$/, '').replace(/^\s+/, '');
  if (line.length === 0) return null;
  if (line === '$') return { kind: 'end' };
  if (line === 'ok') return { kind: 'ok' };
  const err = ERROR_LINE.exec(line);
  if (err) {
    const digits = err[1] ?? '';
    return { kind: 'error', code: digits.length > 0 ? Number(digits) : null, text: line };
  }
  const named = NAMED_LINE.exec(line);
  if (named) {
    const name = named[1] ?? '';
    const value = (named[2] ?? '').trim();
    if (name.length === 1) return { kind: 'field', key: name, value };
    const stat = value.startsWith('{') ? STAT.exec(value) : null;
    if (stat) return { kind: 'action', action: name, stat: stat[1] ?? '', body: value };
    return { kind: 'named', name, value };
  }
  return { kind: 'value', text: line };
}
