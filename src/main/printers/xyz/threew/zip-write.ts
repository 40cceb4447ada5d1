import { ZIP_ENTRY_NAME } from './layout';

/**
 * The ZIP archive of a `TagEa128` body: one deflated entry, sizes and CRC in the local header (no
 * data descriptor, since how firmware reads the archive is unknown). The pieces are written around
 * a deflate stream so the G-code never has to be in memory.
 */

const NAME = Buffer.from(ZIP_ENTRY_NAME, 'latin1');
const VERSION = 20;
const METHOD_DEFLATE = 8;
// A fixed timestamp (2020-01-01 00:00) keeps the output reproducible (same G-code → same file).
const DOS_TIME = 0;
const DOS_DATE = ((2020 - 1980) << 9) | (1 << 5) | 1;

export interface ZipEntryFacts {
  crc: number;
  compressedSize: number;
  size: number;
}

export const ZIP_LOCAL_HEADER_LENGTH = 30 + NAME.length;

export function zipLocalHeader(facts: ZipEntryFacts): Buffer {
  const header = Buffer.alloc(ZIP_LOCAL_HEADER_LENGTH);
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(VERSION, 4);
  header.writeUInt16LE(METHOD_DEFLATE, 8);
  header.writeUInt16LE(DOS_TIME, 10);
  header.writeUInt16LE(DOS_DATE, 12);
  header.writeUInt32LE(facts.crc >>> 0, 14);
  header.writeUInt32LE(facts.compressedSize, 18);
  header.writeUInt32LE(facts.size, 22);
  header.writeUInt16LE(NAME.length, 26);
  NAME.copy(header, 30);
  return header;
}

/** Central directory and end record, after the entry's data. */
export function zipTrailer(facts: ZipEntryFacts): Buffer {
  const central = Buffer.alloc(46 + NAME.length);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(VERSION, 4);
  central.writeUInt16LE(VERSION, 6);
  central.writeUInt16LE(METHOD_DEFLATE, 10);
  central.writeUInt16LE(DOS_TIME, 12);
  central.writeUInt16LE(DOS_DATE, 14);
  central.writeUInt32LE(facts.crc >>> 0, 16);
  central.writeUInt32LE(facts.compressedSize, 20);
  central.writeUInt32LE(facts.size, 24);
  central.writeUInt16LE(NAME.length, 28);
  NAME.copy(central, 46);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length, 12);
  end.writeUInt32LE(ZIP_LOCAL_HEADER_LENGTH + facts.compressedSize, 16);
  return Buffer.concat([central, end]);
}
