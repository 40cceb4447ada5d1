import { describe, expect, it } from 'vitest';
import { frameUpload, isValidBoundary } from '../../../../src/main/printers/links/multipart';

const BOUNDARY = '----printdeck0123456789abcdef';
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe('frameUpload', () => {
  it('writes the plain fields in the order given, then the file part, byte for byte', () => {
    const framing = frameUpload(
      'acceptance test.gcode',
      [
        ['root', 'gcodes'],
        ['print', 'true'],
      ],
      BOUNDARY,
    );
    expect(framing.contentType).toBe(`multipart/form-data; boundary=${BOUNDARY}`);
    expect(text(framing.head)).toBe(
      `--${BOUNDARY}\r\n` +
        'Content-Disposition: form-data; name="root"\r\n\r\ngcodes\r\n' +
        `--${BOUNDARY}\r\n` +
        'Content-Disposition: form-data; name="print"\r\n\r\ntrue\r\n' +
        `--${BOUNDARY}\r\n` +
        'Content-Disposition: form-data; name="file"; filename="acceptance test.gcode"\r\n' +
        'Content-Type: application/octet-stream\r\n\r\n',
    );
    expect(text(framing.tail)).toBe(`\r\n--${BOUNDARY}--\r\n`);
  });

  it('the whole body for a small file matches exactly', () => {
    const framing = frameUpload('a.gcode', [], 'XyZ');
    const file = new TextEncoder().encode('G28\nG1 X10\n');
    const body = new Uint8Array([...framing.head, ...file, ...framing.tail]);
    expect(Buffer.from(body).toString('hex')).toBe(
      Buffer.from(
        '--XyZ\r\nContent-Disposition: form-data; name="file"; filename="a.gcode"\r\n' +
          'Content-Type: application/octet-stream\r\n\r\nG28\nG1 X10\n\r\n--XyZ--\r\n',
        'utf8',
      ).toString('hex'),
    );
    expect(framing.contentLength(file.byteLength)).toBe(body.byteLength);
  });

  it('UTF-8 names are sent as UTF-8 bytes; quotes and line breaks are escaped like browsers do', () => {
    const framing = frameUpload('Würfel "v2"\r\n.gcode', [], BOUNDARY);
    const head = text(framing.head);
    expect(head).toContain('filename="Würfel %22v2%22%0D%0A.gcode"\r\n');
    // ü is two bytes in UTF-8: the byte length, not the string length, counts.
    expect(framing.head.byteLength).toBe(Buffer.byteLength(head, 'utf8'));
    expect(framing.contentLength(0)).toBe(framing.head.byteLength + framing.tail.byteLength);
  });

  it('keeps "/" so the server creates sub-folders', () => {
    expect(text(frameUpload('sub/dir/a.gcode', [], BOUNDARY).head)).toContain('filename="sub/dir/a.gcode"');
  });

  it('refuses bad boundaries, empty names, values containing the boundary, bad sizes', () => {
    for (const bad of ['', 'has space', 'x'.repeat(71), 'semi;colon', 'quote"']) expect(isValidBoundary(bad)).toBe(false);
    expect(isValidBoundary('x'.repeat(70))).toBe(true);
    expect(() => frameUpload('a.gcode', [], 'has space')).toThrow(RangeError);
    expect(() => frameUpload('', [], BOUNDARY)).toThrow(RangeError);
    expect(() => frameUpload('a.gcode', [['path', `x${BOUNDARY}`]], BOUNDARY)).toThrow(RangeError);
    expect(() => frameUpload(`a${BOUNDARY}.gcode`, [], BOUNDARY)).toThrow(RangeError);
    const framing = frameUpload('a.gcode', [], BOUNDARY);
    expect(() => framing.contentLength(-1)).toThrow(RangeError);
    expect(() => framing.contentLength(1.5)).toThrow(RangeError);
  });
});
