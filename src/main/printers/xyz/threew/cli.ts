import { parseArgs } from 'node:util';
import type { XyzContainer } from '../models';
import { openThreeW } from './decode-stream';
import { streamThreeW, type ThreeWStream } from './encode-stream';
import { ThreeWError } from './errors';
import { openInput, writeOutput } from './file-source';
import { inspectThreeW } from './inspect';
import { MAX_GCODE_BYTES, MAX_THREEW_BYTES } from './layout';
import type { PaddingState } from './padding';
import type { ThreeWInfo } from './types';

const UTF8_BOM_LENGTH = 3;

/** Where the command reports; files are read and written in pieces by the command itself. */
export interface ThreeWCliIo {
  out(line: string): void;
  err(line: string): void;
}

const EXIT_OK = 0;
const EXIT_FAILURE = 1;
const EXIT_USAGE = 2;

export const THREEW_USAGE = [
  'usage: 3w encode <in.gcode> -o <out.3w> --model <model-no> [--container v5|v2|zip] [--header-length <n>]',
  '       3w decode <in.3w> -o <out.gcode> [--no-crc-check]',
  '       3w info <file.3w> [--json]',
];

/** Thrown for bad command lines; turned into exit code 2. */
class UsageError extends Error {}

const OPTIONS = {
  output: { type: 'string', short: 'o' },
  model: { type: 'string' },
  container: { type: 'string' },
  'header-length': { type: 'string' },
  'no-crc-check': { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

type ParsedValues = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

interface Command {
  positionals: string[];
  values: ParsedValues;
}

function parseCommandLine(args: string[]): Command {
  try {
    const { values, positionals } = parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true });
    return { values, positionals };
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function onlyInput(command: Command, name: string): string {
  const [input, ...extra] = command.positionals;
  if (input === undefined) throw new UsageError(`${name}: missing input file`);
  if (extra.length > 0) throw new UsageError(`${name}: unexpected argument ${JSON.stringify(extra[0])}`);
  return input;
}

function requiredOutput(command: Command, name: string): string {
  const output = command.values.output;
  if (output === undefined || output === '') throw new UsageError(`${name}: missing -o <output file>`);
  return output;
}

function parseContainer(value: string | undefined): XyzContainer | undefined {
  if (value === undefined) return undefined;
  if (value === 'v5' || value === 'v2' || value === 'zip') return value;
  throw new UsageError(`encode: --container must be v5, v2 or zip, got ${JSON.stringify(value)}`);
}

function parseHeaderLength(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value))
    throw new UsageError(`encode: --header-length must be a whole number, got ${JSON.stringify(value)}`);
  return Number(value);
}

async function runEncode(command: Command, io: ThreeWCliIo): Promise<number> {
  const input = onlyInput(command, 'encode');
  const output = requiredOutput(command, 'encode');
  const model = command.values.model;
  if (model === undefined || model === '') throw new UsageError('encode: missing --model <model-no> (e.g. dv1MX0A000)');
  const container = parseContainer(command.values.container);
  const headerLength = parseHeaderLength(command.values['header-length']);

  const gcode = await openInput(input, MAX_GCODE_BYTES + UTF8_BOM_LENGTH, 'G-code file');
  const stream = await streamThreeW(gcode.chunks, { model, container, headerLength });
  await writeOutput(output, threeWPieces(stream));
  const info = inspectThreeW(stream.preamble);
  io.out(`wrote ${output}: ${stream.size} bytes, ${stream.container}, machine ${info.machine ?? '?'}`);
  return EXIT_OK;
}

async function* threeWPieces(stream: ThreeWStream): AsyncGenerator<Uint8Array> {
  yield stream.preamble;
  yield* stream.body();
}

/** Why a damaged body decoded anyway deserves a word: the G-code may stop mid-print. */
function damageWarning(info: ThreeWInfo, padding: PaddingState | null): string | null {
  if (info.crcOk !== false) return null;
  if (padding === 'missing' || padding === null) {
    return 'warning: the body CRC-32 does not match and the body ends without padding: the G-code is truncated (a printer would stop where it ends)';
  }
  return 'warning: the body CRC-32 does not match: the G-code may be damaged';
}

async function runDecode(command: Command, io: ThreeWCliIo): Promise<number> {
  const input = onlyInput(command, 'decode');
  const output = requiredOutput(command, 'decode');
  const file = await openInput(input, MAX_THREEW_BYTES, '.3w file');
  const opened = await openThreeW(file, { verifyCrc: !command.values['no-crc-check'] });
  const written = await writeOutput(output, opened.gcode());
  const warning = damageWarning(opened.info, opened.padding());
  if (warning) io.err(`3w: ${input}: ${warning}`);
  io.out(`wrote ${output}: ${written} bytes of G-code from a ${opened.info.container} file (machine ${opened.info.machine ?? '?'})`);
  return EXIT_OK;
}

function hex32(value: number | null): string {
  return value === null ? '-' : value.toString(16).padStart(8, '0');
}

function describe(info: ThreeWInfo): string[] {
  const lines = [
    `container:      ${info.container}${info.formatVersion === null ? '' : ` (format ${info.formatVersion})`}${info.tag ? ` ${info.tag}` : ''}`,
    `file size:      ${info.fileSize}`,
    `machine:        ${info.machine ?? '-'}${info.modelNumbers.length > 0 ? ` (${info.modelNumbers.join(', ')})` : ''}`,
    `header:         ${info.headerLength} bytes${info.headerEncrypted ? ', encrypted' : ''}${info.headerReadable ? '' : ', unreadable'}`,
    `body:           ${info.bodyLength} bytes${info.bodyEncrypted ? ', encrypted' : ''}, padding ${info.padding}`,
    `g-code length:  ${info.gcodeLength ?? 'unknown until decoded'}`,
    `crc:            stored ${hex32(info.crcStored)}, computed ${hex32(info.crcComputed)}${info.crcOk === null ? '' : info.crcOk ? ' (ok)' : ' (MISMATCH)'}`,
  ];
  for (const [key, value] of Object.entries(info.headerKeys)) lines.push(`  ${key} = ${value}`);
  return lines;
}

async function runInfo(command: Command, io: ThreeWCliIo): Promise<number> {
  const input = onlyInput(command, 'info');
  const opened = await openThreeW(await openInput(input, MAX_THREEW_BYTES, '.3w file'), { verifyCrc: false });
  const info = opened.info;
  if (command.values.json) io.out(JSON.stringify(info));
  else for (const line of describe(info)) io.out(line);
  // A damaged body is worth a non-zero exit so scripts notice.
  if (info.crcOk === false) return EXIT_FAILURE;
  // What `decode` would refuse, `info` must not call fine: the body is decoded to nowhere.
  for await (const piece of opened.gcode()) void piece;
  return EXIT_OK;
}

type Subcommand = (command: Command, io: ThreeWCliIo) => Promise<number>;

// A Map, so that names such as `constructor` or `__proto__` are unknown subcommands, not Object's.
const SUBCOMMANDS: ReadonlyMap<string, Subcommand> = new Map([
  ['encode', runEncode],
  ['decode', runDecode],
  ['info', runInfo],
]);

/** `printdeck 3w …`: `argv` starts after `3w`. Exit code 0 ok, 1 failure, 2 usage error. */
export async function runThreeWCommand(argv: string[], io: ThreeWCliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--help' || name === '-h' || name === 'help') {
    for (const line of THREEW_USAGE) io.out(line);
    return EXIT_OK;
  }
  const run = name === undefined ? undefined : SUBCOMMANDS.get(name);
  try {
    if (!run)
      throw new UsageError(name === undefined ? 'missing subcommand' : `unknown subcommand ${JSON.stringify(name)}`);
    const command = parseCommandLine(rest);
    if (command.values.help) {
      for (const line of THREEW_USAGE) io.out(line);
      return EXIT_OK;
    }
    return await run(command, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`3w: ${error.message}`);
      for (const line of THREEW_USAGE) io.err(line);
      return EXIT_USAGE;
    }
    if (error instanceof ThreeWError) {
      io.err(`3w: ${error.message} [${error.code}]`);
      return EXIT_FAILURE;
    }
    io.err(`3w: ${(error as Error).message ?? String(error)}`);
    return EXIT_FAILURE;
  }
}
