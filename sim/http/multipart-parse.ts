/** Enough of multipart/form-data for the OctoPrint and Moonraker simulators: fields and one file, from a buffered body. */
export interface ParsedForm {
  fields: Map<string, string>;
  file: { filename: string; data: Buffer } | null;
}

export function boundaryOf(contentType: string | undefined): string | null {
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
  return m ? (m[1] ?? m[2] ?? null) : null;
}

function filenameOf(disposition: string): string | null {
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  if (star?.[1]) return decodeURIComponent(star[1]);
  const plain = /filename="([^"]*)"/i.exec(disposition);
  if (!plain) return null;
  return (plain[1] ?? '').replace(/%22/g, '"').replace(/%0D/g, '\r').replace(/%0A/g, '\n');
}

export function parseMultipart(body: Buffer, boundary: string): ParsedForm {
  const form: ParsedForm = { fields: new Map(), file: null };
  const delimiter = Buffer.from(`--${boundary}`);
  let at = body.indexOf(delimiter);
  while (at !== -1) {
    const start = at + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, start);
    if (next === -1) break;
    // Part = CRLF headers CRLF CRLF content CRLF
    const part = body.subarray(start + 2, next - 2);
    const split = part.indexOf('\r\n\r\n');
    if (split !== -1) {
      const headers = part.subarray(0, split).toString('utf8');
      const content = part.subarray(split + 4);
      const disposition = /content-disposition:([^\r\n]*)/i.exec(headers)?.[1] ?? '';
      const name = /\bname="([^"]*)"/i.exec(disposition)?.[1] ?? '';
      const filename = filenameOf(disposition);
      if (filename !== null && name === 'file') form.file = { filename, data: Buffer.from(content) };
      else form.fields.set(name, content.toString('utf8'));
    }
    at = next;
  }
  return form;
}
