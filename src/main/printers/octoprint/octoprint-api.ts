import type { z } from 'zod';
import { AppError } from '../../../shared/rpc/result';
import { HttpClient, TransportError, type HttpRequest, type HttpResult } from '../links/http-client';
import {
  API,
  ConnectionResponse,
  FilesListResponse,
  JobResponse,
  LoginResponse,
  PrinterResponse,
  readCommandReply,
  readJsonReply,
  SettingsResponse,
  toRpcError,
  UploadResponse,
  VersionResponse,
  fileResourcePath,
  octoPrintFormFields,
  storagePath,
  type ConnectionCommand,
  type GcodeCommandBody,
  type HeaterCommand,
  type JobCommand,
  type PrintheadCommand,
  type ProtocolResult,
  type ToolCommand,
  type UploadFields,
} from './protocol';

/** AppError detail of "the key is invalid or revoked", so callers can offer re-pairing. */
export const KEY_INVALID = 'octoprint.keyInvalid';

export function isKeyInvalid(err: unknown): boolean {
  return err instanceof AppError && err.detail === KEY_INVALID;
}

/** A transport failure as the contract's error. */
export function transportAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof TransportError) {
    if (err.reason === 'aborted') return new AppError('CANCELLED', err.message);
    if (err.reason === 'timeout') return new AppError('TIMEOUT', err.message);
    return new AppError('UNAVAILABLE', err.message);
  }
  return new AppError('UNAVAILABLE', err instanceof Error ? err.message : String(err));
}

function unwrap<T>(result: ProtocolResult<T>): T {
  if (result.ok) return result.value;
  const shape = toRpcError(result.error);
  throw new AppError(shape.code, shape.message, shape.detail);
}

/** The REST calls of the 1.x API (no version header, as the spec recommends), typed and validated. */
export class OctoPrintApi {
  readonly http: HttpClient;

  constructor(baseUrl: string, apiKey: string | null) {
    this.http = new HttpClient(baseUrl, apiKey, 'OctoPrint');
  }

  async raw(req: HttpRequest): Promise<HttpResult> {
    try {
      return await this.http.request(req);
    } catch (err) {
      throw transportAppError(err);
    }
  }

  private async getJson<S extends z.ZodType>(path: string, schema: S, timeoutMs?: number): Promise<z.output<S>> {
    const reply = await this.raw({ method: 'GET', path, ...(timeoutMs === undefined ? {} : { timeoutMs }) });
    return unwrap(readJsonReply(reply, schema));
  }

  private async command(path: string, json: unknown): Promise<void> {
    unwrap(readCommandReply(await this.raw({ method: 'POST', path, json })));
  }

  version() {
    return this.getJson(API.version, VersionResponse);
  }

  /** Passive login: the socket credentials for `auth` (POST; GET /api/login is 405 [verified]). */
  async passiveLogin() {
    const reply = await this.raw({ method: 'POST', path: API.login, json: { passive: true } });
    return unwrap(readJsonReply(reply, LoginResponse));
  }

  connection() {
    return this.getJson(API.connection, ConnectionResponse);
  }

  connectionCommand(command: ConnectionCommand) {
    return this.command(API.connection, command);
  }

  printer() {
    return this.getJson(API.printer, PrinterResponse);
  }

  tool(command: ToolCommand) {
    return this.command(API.printerTool, command);
  }

  bed(command: HeaterCommand) {
    return this.command(API.printerBed, command);
  }

  printhead(command: PrintheadCommand) {
    return this.command(API.printhead, command);
  }

  gcode(body: GcodeCommandBody) {
    return this.command(API.gcode, body);
  }

  /** `GET /api/job`: small, and needs the key's STATUS permission, so a revoked key gets 403. */
  jobState() {
    return this.getJson(API.job, JobResponse, 10_000);
  }

  job(command: JobCommand) {
    return this.command(API.job, command);
  }

  files() {
    return this.getJson(`${API.files}?recursive=true`, FilesListResponse, 20_000);
  }

  fileCommand(path: string, command: { command: 'select'; print: boolean }) {
    return this.command(fileResourcePath('local', path), command);
  }

  async deleteFile(path: string): Promise<void> {
    unwrap(readCommandReply(await this.raw({ method: 'DELETE', path: fileResourcePath('local', path) })));
  }

  settings() {
    return this.getJson(API.settings, SettingsResponse);
  }

  async upload(
    fields: UploadFields,
    filePath: string,
    fileSize: number,
    onProgress: (sent: number) => void,
    signal: AbortSignal,
  ) {
    let reply: HttpResult;
    try {
      reply = await this.http.upload({ path: storagePath('local'), fileName: fields.fileName, fields: octoPrintFormFields(fields), filePath, fileSize, onProgress, signal });
    } catch (err) {
      throw transportAppError(err);
    }
    return unwrap(readJsonReply(reply, UploadResponse));
  }
}
