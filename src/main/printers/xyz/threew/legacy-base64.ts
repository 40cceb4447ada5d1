/**
 * The oldest `.3w` files (XYZware ≤ 2014) are just the G-code in MIME base64 with 76-character
 * lines and no container.
 */

function isBase64TextByte(byte: number): boolean {
  return (
    (byte >= 0x41 && byte <= 0x5a) || // A-Z
    (byte >= 0x61 && byte <= 0x7a) || // a-z
    (byte >= 0x30 && byte <= 0x39) || // 0-9
    byte === 0x2b ||
    byte === 0x2f ||
    byte === 0x3d || // + / =
    byte === 0x0d ||
    byte === 0x0a
  );
}

function startsLikeGcode(text: Buffer): boolean {
  for (const byte of text) {
    if (byte === 0x20 || byte === 0x09 || byte === 0x0d || byte === 0x0a) continue;
    // ';' comment, or a G/M/T/N word.
    return byte === 0x3b || 'GMTNgmtn'.includes(String.fromCharCode(byte));
  }
  return false;
}

/** Whether `head`, the start of a file, could begin a legacy base64 `.3w`. */
export function looksLikeLegacyBase64(head: Uint8Array): boolean {
  return head.length >= 4 && head.every(isBase64TextByte);
}

/** Decoded G-code if `file` is a legacy base64 `.3w`, otherwise undefined. */
export function decodeLegacyBase64(file: Uint8Array): Buffer | undefined {
  if (file.length < 4) return undefined;
  for (const byte of file) if (!isBase64TextByte(byte)) return undefined;
  const gcode = Buffer.from(Buffer.from(file.buffer, file.byteOffset, file.byteLength).toString('latin1'), 'base64');
  return startsLikeGcode(gcode) ? gcode : undefined;
}
