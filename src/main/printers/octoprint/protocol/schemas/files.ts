import { z } from 'zod';
import { FilamentAmount } from './common';

const Refs = z.object({
  resource: z.string(),
  /** Absent for folders and SD card files. */
  download: z.string().optional(),
});

const GcodeAnalysis = z.object({
  estimatedPrintTime: z.number().nullish(),
  filament: z.record(z.string(), FilamentAmount.nullable()).nullish(),
  dimensions: z.record(z.string(), z.number().nullable()).nullish(),
  printingArea: z.record(z.string(), z.number().nullable()).nullish(),
  travelArea: z.record(z.string(), z.number().nullable()).nullish(),
});

const PrintHistory = z.object({
  success: z.number().optional(),
  failure: z.number().optional(),
  last: z.object({ date: z.number().nullish(), success: z.boolean().nullish() }).nullish(),
});

/** Per-profile times, e.g. `{"_default": 11.17}`. */
const PerProfileSeconds = z.record(z.string(), z.number());

export interface FileEntry {
  name: string;
  path: string;
  /** "machinecode" | "model" | "folder" */
  type: string;
  origin?: string | undefined;
  display?: string | undefined;
  typePath?: string[] | undefined;
  size?: number | null | undefined;
  date?: number | null | undefined;
  hash?: string | null | undefined;
  user?: string | null | undefined;
  refs?: z.infer<typeof Refs> | undefined;
  gcodeAnalysis?: z.infer<typeof GcodeAnalysis> | undefined;
  prints?: z.infer<typeof PrintHistory> | undefined;
  statistics?:
    | { averagePrintTime?: Record<string, number>; lastPrintTime?: Record<string, number> }
    | undefined;
  /** Folders only, and only with `?recursive=true`. */
  children?: FileEntry[] | undefined;
}

/**
 * One file or folder (local or SD card). The connector relies on `name`, `path` and `type`;
 * analysis, statistics and print history are display-only, so a surprise in them is dropped
 * rather than failing the whole list.
 */
export const FileEntry: z.ZodType<FileEntry> = z.lazy(() =>
  z.object({
    name: z.string(),
    path: z.string(),
    type: z.string(),
    origin: z.string().optional(),
    display: z.string().optional(),
    typePath: z.array(z.string()).optional(),
    size: z.number().nullish(),
    date: z.number().nullish(),
    hash: z.string().nullish(),
    user: z.string().nullish(),
    refs: Refs.optional(),
    gcodeAnalysis: GcodeAnalysis.optional().catch(undefined),
    prints: PrintHistory.optional().catch(undefined),
    statistics: z
      .object({
        averagePrintTime: PerProfileSeconds.optional(),
        lastPrintTime: PerProfileSeconds.optional(),
      })
      .optional()
      .catch(undefined),
    children: z.array(FileEntry).optional(),
  }),
);

/** `GET /api/files`, `/api/files/local`, `/api/files/sdcard`. */
export const FilesListResponse = z.object({
  files: z.array(FileEntry),
  /** Bytes; absent for the SD card. */
  free: z.number().nullish(),
  total: z.number().nullish(),
});
export type FilesListResponse = z.infer<typeof FilesListResponse>;

const UploadedFile = z.object({
  name: z.string(),
  origin: z.string(),
  path: z.string(),
  refs: Refs.optional(),
});

/**
 * 201 answer of `POST /api/files/{local,sdcard}`. When the printer is not operational,
 * select/print are silently ignored (effective* false, still 201) [verified].
 */
export const UploadResponse = z.object({
  done: z.boolean(),
  files: z.object({ local: UploadedFile.optional(), sdcard: UploadedFile.optional() }),
  effectiveSelect: z.boolean().optional(),
  effectivePrint: z.boolean().optional(),
});
export type UploadResponse = z.infer<typeof UploadResponse>;

/** `POST /api/files/<origin>/<path>`: select -> 204, copy/move -> 201. */
export const FileCommand = z.discriminatedUnion('command', [
  z.object({ command: z.literal('select'), print: z.boolean().optional() }),
  z.object({ command: z.literal('unselect') }),
  z.object({ command: z.literal('copy'), destination: z.string() }),
  z.object({ command: z.literal('move'), destination: z.string() }),
]);
export type FileCommand = z.infer<typeof FileCommand>;

/** The two storages the 1.x API knows; 2.0 with a version header renames `sdcard`. */
export const FileOrigin = z.enum(['local', 'sdcard']);
export type FileOrigin = z.infer<typeof FileOrigin>;
