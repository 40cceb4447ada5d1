import { describe, expect, it } from 'vitest';
import { frameUpload, isValidBoundary } from '../../../src/main/printers/octoprint/protocol';

const BOUNDARY = '----printdeck0123456789abcdef';
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe('frameUpload', () => {
  it('frames file, path, select and print byte for byte', () => {
    const framing = frameUpload(
      { fileName: 'acceptance test.gcode', path: 'jobs/benchy', select: true, print: true },
      BOUNDARY,
    );
    expect(framing.contentType).toBe(`multipart/form-data; boundary=${BOUNDARY}`);
    expect(text(framing.head)).toBe(
      `--${BOUNDARY}\r\n` +
        'Content-Disposition: form-data; name="path"\r\n\r\njobs/benchy\r\n' +
        `--${BOUNDARY}\r\n` +
        'Content-Disposition: form-data; name="select"\r\n\r\ntrue\r\n' +
        `--${BOUNDARY}\r\n` +
        'Content-Disposition: form-data; name="print"\r\n\r\ntrue\r\n' +
        `--${BOUNDARY}\r\n` +
        'Content-Disposition: form-data; name="file"; filename="acceptance test.gcode"\r\n' +
        'Content-Type: application/octet-stream\r\n\r\n',
    );
    expect(text(framing.tail)).toBe(`\r\n--${BOUNDARY}--\r\n`);
  });

  it('the whole body for a small file matches exactly', () => {
    const framing = frameUpload({ fileName: 'a.gcode' }, 'XyZ');
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

  it('leaves out options that are not set or false', () => {
    const head = text(
      frameUpload({ fileName: 'a.gcode', path: '', select: false, print: false }, BOUNDARY).head,
    );
    expect(head).not.toMatch(/name="(path|select|print)"/);
  });

  it('carries userdata as a JSON string field', () => {
    const head = text(
      frameUpload({ fileName: 'a.gcode', userdata: '{"by":"printdeck"}' }, BOUNDARY).head,
    );
    expect(head).toContain('name="userdata"\r\n\r\n{"by":"printdeck"}\r\n');
  });

  it('UTF-8 names are sent as UTF-8 bytes; quotes and line breaks are escaped like browsers do', () => {
    const framing = frameUpload({ fileName: 'Würfel "v2"\r\n.gcode' }, BOUNDARY);
    const head = text(framing.head);
    expect(head).toContain('filename="Würfel %22v2%22%0D%0A.gcode"\r\n');
    // ü is two bytes in UTF-8: the byte length, not the string length, counts.
    expect(framing.head.byteLength).toBe(Buffer.byteLength(head, 'utf8'));
    expect(framing.contentLength(0)).toBe(framing.head.byteLength + framing.tail.byteLength);
  });

  it('keeps "/" so the server creates sub-folders', () => {
    expect(text(frameUpload({ fileName: 'sub/dir/a.gcode' }, BOUNDARY).head)).toContain(
      'filename="sub/dir/a.gcode"',
    );
  });

  it('refuses bad boundaries, empty names, values containing the boundary, bad sizes', () => {
    for (const bad of ['', 'has space', 'x'.repeat(71), 'semi;colon', 'quote"'])
      expect(isValidBoundary(bad)).toBe(false);
    expect(isValidBoundary('x'.repeat(70))).toBe(true);
    expect(() => frameUpload({ fileName: 'a.gcode' }, 'has space')).toThrow(RangeError);
    expect(() => frameUpload({ fileName: '' }, BOUNDARY)).toThrow(RangeError);
    expect(() => frameUpload({ fileName: 'a.gcode', path: `x${BOUNDARY}` }, BOUNDARY)).toThrow(
      RangeError,
    );
    const framing = frameUpload({ fileName: 'a.gcode' }, BOUNDARY);
    expect(() => framing.contentLength(-1)).toThrow(RangeError);
    expect(() => framing.contentLength(1.5)).toThrow(RangeError);
  });
});
