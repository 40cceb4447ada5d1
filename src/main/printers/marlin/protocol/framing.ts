/**
 * Host → firmware line framing. Marlin accepts `N<n> <command>*<checksum>`, where the checksum is
 * the XOR of every byte before the `*`, written in decimal, and rejects a numbered line whose
 * number is not the last one + 1 (asking for it again with `Resend:`). Comments are stripped as
 * the firmware receives bytes, so they must be gone before the checksum is computed, or the `*cs`
 * after a `;` would be thrown away with the comment.
 */

/** Longest line Marlin keeps (MAX_CMD_SIZE, terminator included); longer ones are cut and then fail. */
export const MAX_COMMAND_BYTES = 96;

export function checksum(text: string): number {
  let cs = 0;
  for (let i = 0; i < text.length; i++) cs ^= text.charCodeAt(i) & 0xff;
  return cs;
}

/** `N<n> <command>*<cs>` without the line ending. */
export function frameLine(lineNumber: number, command: string): string {
  const body = `N${lineNumber} ${command}`;
  return `${body}*${checksum(body)}`;
}

/**
 * A file line as it should go on the wire: `;` comments removed (a `\;` is a literal semicolon),
 * surrounding whitespace trimmed. Returns '' for lines with nothing to send.
 */
export function cleanLine(raw: string): string {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === '\\' && raw[i + 1] === ';') {
      out += ';';
      i++;
      continue;
    }
    if (c === ';') break;
    out += c;
  }
  return out.trim();
}

/** True for `G…`, `M…` and `T…` commands: the lines that carry a command the firmware acknowledges. */
export function isGcodeCommand(line: string): boolean {
  return /^\s*([GM]\d+(\.\d+)?|T\d+)/i.test(line);
}

/** The G/M/T word of a command (`G1`, `M109`), upper case; '' when the line has none. */
export function commandWord(line: string): string {
  const m = /^\s*([GMT])0*(\d+)(\.\d+)?/i.exec(line);
  return m ? `${m[1]!.toUpperCase()}${m[2]}${m[3] ?? ''}` : '';
}

/** Bytes a line occupies on the wire and in the firmware's receive buffer, `\n` included. */
export function wireBytes(line: string): number {
  return Buffer.byteLength(line, 'latin1') + 1;
}
