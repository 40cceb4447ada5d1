import { describe, expect, it } from 'vitest';
import { frameUpload } from '../../../src/main/printers/links/multipart';
import { octoPrintFormFields, type UploadFields } from '../../../src/main/printers/octoprint/protocol';

const BOUNDARY = '----printdeck0123456789abcdef';
const head = (fields: UploadFields) => new TextDecoder().decode(frameUpload(fields.fileName, octoPrintFormFields(fields), BOUNDARY).head);

describe("OctoPrint's upload form", () => {
  it('frames path, select and print before the file, byte for byte', () => {
    expect(head({ fileName: 'acceptance test.gcode', path: 'jobs/benchy', select: true, print: true })).toBe(
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
  });

  it('leaves out options that are not set or false', () => {
    expect(octoPrintFormFields({ fileName: 'a.gcode', path: '', select: false, print: false })).toEqual([]);
    expect(head({ fileName: 'a.gcode', path: '', select: false, print: false })).not.toMatch(/name="(path|select|print)"/);
  });

  it('carries userdata as a JSON string field', () => {
    expect(head({ fileName: 'a.gcode', userdata: '{"by":"printdeck"}' })).toContain('name="userdata"\r\n\r\n{"by":"printdeck"}\r\n');
  });
});
