import { createReadStream } from 'node:fs';
import { copyFile, mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { QueueFileFacts } from '../../../shared/contract';
import { AppError } from '../../../shared/rpc/result';
import { formatOf, type PrintProfiles } from '../../devices/print-profiles';
import { GcodeSurvey } from './gcode-survey';

/**
 * The queue's own copies of its files, under the data folder: a job owns its file, so a staged
 * browser file can expire and a picked file can move without the job losing it.
 */
export class JobFiles {
  readonly folder: string;

  constructor(
    dataDir: string,
    private readonly profiles: PrintProfiles,
  ) {
    this.folder = path.join(dataDir, 'queue-files');
  }

  /** Copies a file in and reads what it says about its printer (unless the caller read it already); `name` decides the format. */
  async take(
    source: string,
    name: string,
    id: string,
    known?: QueueFileFacts,
  ): Promise<{ path: string; size: number; facts: QueueFileFacts }> {
    const format = formatOf(name);
    if (!format)
      throw new AppError('BAD_REQUEST', `The queue takes .gcode and .3w files; "${name}" is neither.`, 'file');
    const info = await stat(source).catch(() => null);
    if (!info?.isFile()) throw new AppError('NOT_FOUND', `There is no file at ${source}.`);
    await mkdir(this.folder, { recursive: true, mode: 0o700 });
    const target = path.join(this.folder, `${id}${path.extname(name).toLowerCase()}`);
    await copyFile(source, target);
    try {
      return { path: target, size: info.size, facts: known ?? (await this.facts(target, format)) };
    } catch (err) {
      await rm(target, { force: true });
      throw err;
    }
  }

  async facts(file: string, format: 'gcode' | '3w'): Promise<QueueFileFacts> {
    const facts: QueueFileFacts = { format, machineId: null, slicerPrinter: null, nozzleMm: null, extentsMm: null };
    if (format === 'gcode') {
      const survey = new GcodeSurvey();
      for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 256 * 1024 }))
        survey.push(chunk as string);
      return { ...facts, ...survey.finish() };
    }
    return { ...facts, ...(await this.profiles.readFormatFacts(file, format)) };
  }

  /** Deletes a copy no job uses any more; only paths inside the queue's folder. */
  async drop(file: string): Promise<void> {
    if (path.dirname(file) !== this.folder) return;
    await rm(file, { force: true });
  }
}
