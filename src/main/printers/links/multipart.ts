/**
 * `multipart/form-data` framing for an upload to a printer server, built so the HTTP client can
 * stream the file from disk: it writes `head`, then the file's bytes, then `tail`.
 *
 * It knows no server's form: the caller names the plain fields (OctoPrint's are in
 * `octoprint/protocol/upload-form.ts`, Moonraker's in `moonraker/moonraker-http.ts`). Both servers
 * read the file from the part named `file` and take "/" in its file name as sub-folders. Plain
 * fields go first so the file part can be last and the tail is only the closing delimiter.
 */

/** A plain form field, name and value, in the order it is written. */
export type FormField = readonly [name: string, value: string];

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

/**
 * Head and tail around the file's bytes. The file content itself is not checked for the
 * boundary: a random boundary of 32 hex digits makes a collision practically impossible.
 */
export function frameUpload(fileName: string, values: readonly FormField[], boundary: string): MultipartFraming {
  if (!isValidBoundary(boundary)) throw new RangeError('invalid multipart boundary');
  if (fileName === '') throw new RangeError('an upload needs a file name');
  // A boundary inside a value would end its part early and corrupt the form.
  if ([fileName, ...values.map(([, value]) => value)].some((v) => v.includes(boundary))) {
    throw new RangeError('a form value contains the multipart boundary');
  }

  const head =
    values.map(([name, value]) => fieldPart(boundary, name, value)).join('') +
    `--${boundary}${CRLF}` +
    `Content-Disposition: form-data; name="file"; filename=${quoteDispositionValue(fileName)}${CRLF}` +
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
