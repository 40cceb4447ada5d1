/**
 * `multipart/form-data` framing for `POST /api/files/{local,sdcard}`, built so the transport can
 * stream the file from disk: it writes `head`, then the file's bytes, then `tail`.
 *
 * Form fields OctoPrint reads [verified]: `file` (the part with a filename; "/" in the name
 * creates sub-folders), and optionally `path` (target folder), `select` and `print` ("true";
 * print implies select), `userdata` (a JSON string). Plain fields go first so the file part can
 * be last and the tail is only the closing delimiter.
 */

export interface UploadFields {
  /** Name the file gets on the server; may contain "/" for sub-folders. UTF-8 is fine. */
  fileName: string;
  /** Target folder on the server ("" or undefined = top level). */
  path?: string | undefined;
  select?: boolean | undefined;
  /** Start printing right away (implies select). Ignored by the server if not operational. */
  print?: boolean | undefined;
  /** Free JSON string stored alongside the file. */
  userdata?: string | undefined;
}

export interface MultipartFraming {
  /** Value for the request's Content-Type header. */
  contentType: string;
  head: Uint8Array;
  tail: Uint8Array;
  /** Content-Length for a file of `fileSize` bytes streamed between head and tail. */
  contentLength(fileSize: number): number;
}

const CRLF = '\r\n';
const encoder = new TextEncoder();

/**
 * RFC 2046 boundary: 1–70 characters from its safe set, not ending in a space. Spaces are
 * refused entirely so the header value never needs quoting. The caller makes it random (this
 * module has no randomness), e.g. "----printdeck" + 32 hex digits.
 */
const BOUNDARY = /^[0-9A-Za-z'()+_,\-./:=?]{1,70}$/;

export function isValidBoundary(boundary: string): boolean {
  return BOUNDARY.test(boundary);
}

/**
 * Quotes a value for a Content-Disposition parameter the way browsers do (WHATWG HTML form
 * encoding): `"` -> %22, CR -> %0D, LF -> %0A; everything else, UTF-8 included, stays as is.
 */
export function quoteDispositionValue(value: string): string {
  return `"${value.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A')}"`;
}

function fieldPart(boundary: string, name: string, value: string): string {
  return `--${boundary}${CRLF}Content-Disposition: form-data; name="${name}"${CRLF}${CRLF}${value}${CRLF}`;
}

/** The plain fields in the order they are written; unset options are left out. */
function plainFields(fields: UploadFields): [name: string, value: string][] {
  const out: [string, string][] = [];
  if (fields.path !== undefined && fields.path !== '') out.push(['path', fields.path]);
  if (fields.select === true) out.push(['select', 'true']);
  if (fields.print === true) out.push(['print', 'true']);
  if (fields.userdata !== undefined) out.push(['userdata', fields.userdata]);
  return out;
}

/**
 * Head and tail around the file's bytes. The file content itself is not checked for the
 * boundary: a random boundary of 32 hex digits makes a collision practically impossible.
 */
export function frameUpload(fields: UploadFields, boundary: string): MultipartFraming {
  if (!isValidBoundary(boundary)) throw new RangeError('invalid multipart boundary');
  if (fields.fileName === '') throw new RangeError('an upload needs a file name');
  const values = plainFields(fields);
  // A boundary inside a value would end its part early and corrupt the form.
  if ([fields.fileName, ...values.map(([, value]) => value)].some((v) => v.includes(boundary))) {
    throw new RangeError('a form value contains the multipart boundary');
  }

  const head =
    values.map(([name, value]) => fieldPart(boundary, name, value)).join('') +
    `--${boundary}${CRLF}` +
    `Content-Disposition: form-data; name="file"; filename=${quoteDispositionValue(fields.fileName)}${CRLF}` +
    `Content-Type: application/octet-stream${CRLF}${CRLF}`;
  const tail = `${CRLF}--${boundary}--${CRLF}`;

  const headBytes = encoder.encode(head);
  const tailBytes = encoder.encode(tail);
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    head: headBytes,
    tail: tailBytes,
    contentLength(fileSize: number): number {
      if (!Number.isSafeInteger(fileSize) || fileSize < 0)
        throw new RangeError('invalid file size');
      return headBytes.byteLength + fileSize + tailBytes.byteLength;
    },
  };
}
