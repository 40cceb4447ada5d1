/**
 * The header comment keys a da Vinci needs at the very top of the G-code, in this order
 * (miniMover: "must come first or printer will fail").
 */
export const REQUIRED_HEADER_KEYS = [
  'filename',
  'print_time',
  'machine',
  'facets',
  'total_layers',
  'version',
  'total_filament',
] as const;

export type RequiredHeaderKey = (typeof REQUIRED_HEADER_KEYS)[number];

const REQUIRED_KEY_SET: ReadonlySet<string> = new Set(REQUIRED_HEADER_KEYS);

export function isRequiredHeaderKey(key: string): key is RequiredHeaderKey {
  return REQUIRED_KEY_SET.has(key);
}

/** A recent value seen in real XYZprint files; whether firmware checks it is unknown. */
export const DEFAULT_HEADER_VERSION = '19110814';

/**
 * Parses one `; key = value` comment line (without its line ending). Returns undefined for
 * anything else, including Cura's `;KEY:value` style, which is not an XYZ header key.
 */
export function parseHeaderLine(line: string): [key: string, value: string] | undefined {
  const trimmed = line.trim();
  if (!trimmed.startsWith(';')) return undefined;
  const equals = trimmed.indexOf('=');
  if (equals < 0) return undefined;
  const key = trimmed.slice(1, equals).trim();
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) return undefined;
  return [key, trimmed.slice(equals + 1).trim()];
}

/** All `; key = value` pairs of a header text; the first occurrence of a key wins. */
export function parseHeaderKeys(text: string): Record<string, string> {
  const keys: Record<string, string> = {};
  for (const line of text.split('\n')) {
    // Writers that store the padded header length leave NULs or PKCS#7 bytes after the text.
    const pair = parseHeaderLine(line.replace(/[\x00-\x1f]+$/, ''));
    if (pair && !(pair[0] in keys)) keys[pair[0]] = pair[1];
  }
  return keys;
}
