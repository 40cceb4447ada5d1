import { crc32, inflateRawSync } from 'node:zlib';
import { ThreeWError } from './errors';
import { MAX_GCODE_BYTES } from './layout';

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const EOCD_SIZE = 22;
const MAX_COMMENT = 0xffff;
const CENTRAL_SIZE = 46;
const LOCAL_SIZE = 30;
const METHOD_STORED = 0;
const METHOD_DEFLATE = 8;
const ZIP64_MARKER = 0xffffffff;

function badZip(message: string): ThreeWError {
  return new ThreeWError('BAD_ZIP', `ZIP body: ${message}`);
}

function findEndOfCentralDirectory(zip: Buffer): number {
  const lowest = Math.max(0, zip.length - EOCD_SIZE - MAX_COMMENT);
  for (let at = zip.length - EOCD_SIZE; at >= lowest; at--) {
    if (zip.readUInt32LE(at) === EOCD_SIGNATURE) return at;
  }
  throw badZip('no end-of-central-directory record');
}

interface EntryLocation {
  name: string;
  method: number;
  flags: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

/** The first entry that is a file (miniMover writes exactly one, `sample.gcode`). */
function findFileEntry(zip: Buffer, eocd: number): EntryLocation {
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  for (let i = 0; i < count; i++) {
    if (at + CENTRAL_SIZE > eocd || zip.readUInt32LE(at) !== CENTRAL_SIGNATURE)
      throw badZip('corrupt central directory');
    const nameLength = zip.readUInt16LE(at + 28);
    const next = at + CENTRAL_SIZE + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    if (next > eocd) throw badZip('corrupt central directory');
    const name = zip.toString('utf8', at + CENTRAL_SIZE, at + CENTRAL_SIZE + nameLength);
    if (!name.endsWith('/')) {
      return {
        name,
        flags: zip.readUInt16LE(at + 8),
        method: zip.readUInt16LE(at + 10),
        crc: zip.readUInt32LE(at + 16),
        compressedSize: zip.readUInt32LE(at + 20),
        size: zip.readUInt32LE(at + 24),
        localOffset: zip.readUInt32LE(at + 42),
      };
    }
    at = next;
  }
  throw badZip('contains no file');
}

function entryData(zip: Buffer, entry: EntryLocation): Buffer {
  const local = entry.localOffset;
  if (local + LOCAL_SIZE > zip.length || zip.readUInt32LE(local) !== LOCAL_SIGNATURE)
    throw badZip('corrupt local header');
  const start = local + LOCAL_SIZE + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
  const end = start + entry.compressedSize;
  if (end > zip.length) throw badZip(`entry ${JSON.stringify(entry.name)} runs past the end of the archive`);
  return zip.subarray(start, end);
}

function inflateEntry(data: Buffer, entry: EntryLocation): Buffer {
  if (entry.method === METHOD_STORED) {
    if (entry.compressedSize !== entry.size) throw badZip('stored entry sizes disagree');
    return data;
  }
  if (entry.method !== METHOD_DEFLATE) throw badZip(`unsupported compression method ${entry.method}`);
  try {
    // maxOutputLength bounds memory by the declared size, which was checked against MAX_GCODE_BYTES.
    return inflateRawSync(data, { maxOutputLength: Math.max(entry.size, 1) });
  } catch (error) {
    throw badZip(`cannot inflate ${JSON.stringify(entry.name)}: ${(error as Error).message}`);
  }
}

/**
 * Extracts the single G-code entry of a `TagEa128` body. A small reader of our own (rather than a
 * general unzip) so that every declared size and offset is checked before anything is allocated
 * and the entry's CRC-32 is verified.
 */
export function readSingleZipEntry(zipBytes: Uint8Array): Buffer {
  const zip = Buffer.from(zipBytes.buffer, zipBytes.byteOffset, zipBytes.byteLength);
  if (zip.length < EOCD_SIZE) throw badZip('too short to be a ZIP archive');
  const entry = findFileEntry(zip, findEndOfCentralDirectory(zip));
  if (entry.flags & 1) throw badZip('encrypted entries are not supported');
  if (entry.size === ZIP64_MARKER || entry.compressedSize === ZIP64_MARKER)
    throw badZip('ZIP64 entries are not supported');
  if (entry.size > MAX_GCODE_BYTES) {
    throw new ThreeWError(
      'TOO_LARGE',
      `ZIP entry declares ${entry.size} bytes, more than the ${MAX_GCODE_BYTES}-byte limit`,
    );
  }
  const content = inflateEntry(entryData(zip, entry), entry);
  if (content.length !== entry.size) throw badZip(`entry is ${content.length} bytes, declared ${entry.size}`);
  if (crc32(content) !== entry.crc) throw badZip('entry CRC-32 mismatch');
  return content;
}
