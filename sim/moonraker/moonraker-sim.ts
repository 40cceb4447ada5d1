import http from 'node:http';
import type net from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { boundaryOf, parseMultipart } from '../http/multipart-parse';
import { snapshotJpeg } from '../octoprint/snapshot';
import { KlipperError, READY_MESSAGE, STARTUP_MESSAGE, VirtualKlipper, type KlippyState } from './virtual-klipper';

export interface MoonrakerSimOptions {
  /** Accepted API keys; none = every client is trusted (Moonraker's trusted_clients). */
  apiKeys?: string[];
  files?: Record<string, string>;
  /** Simulated seconds per wall second. */
  timeScale?: number;
  /** How fast a job moves through its file, in bytes per simulated second. */
  bytesPerSecond?: number;
  /** How long Klippy stays in `startup` after a (re)start, in wall ms. */
  startupMs?: number;
  hue?: number;
  /** Past jobs in `server.history.list` at start (finished over the last days), as a printer in use has. */
  pastJobs?: number;
}

interface StoredFile {
  size: number;
  modified: number;
}

interface Client {
  ws: WebSocket;
  authed: boolean;
  identified: boolean;
  /** object → fields (null = all) */
  subscription: Map<string, string[] | null>;
  /** What this client was last sent, per object and field, to push only changes. */
  sent: Map<string, Record<string, string>>;
}

interface HistoryJob {
  job_id: string;
  user: string | null;
  filename: string;
  exists: boolean;
  status: string;
  start_time: number;
  end_time: number | null;
  print_duration: number;
  total_duration: number;
  filament_used: number;
  metadata: Record<string, unknown>;
  auxiliary_data: unknown[];
}

class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

const TICK_MS = 250;
/** Methods Moonraker registers from Klippy's endpoint list: absent (-32601) until Klippy connected once. */
const KLIPPY_ENDPOINTS = new Set(['printer.info', 'printer.objects.list', 'printer.objects.query', 'printer.objects.subscribe', 'printer.gcode.script', 'printer.emergency_stop']);
/** Registered by Moonraker itself; 503 while Klippy is away. */
const KLIPPY_FORWARDED = new Set(['printer.print.start', 'printer.print.pause', 'printer.print.resume', 'printer.print.cancel', 'printer.restart', 'printer.firmware_restart']);
/** Allowed on a socket that has not authenticated. */
const UNPROTECTED = new Set(['server.connection.identify', 'access.info']);

/**
 * A Moonraker-compatible server: JSON-RPC 2.0 on `/websocket` (subscriptions with diffs every
 * 250 ms, Klippy notifications), the upload endpoint, webcams and history, over a virtual
 * Klipper with its lifecycle. Envelope rules follow Moonraker: no reply to requests without an
 * id, params must be an object, 401 → -32602, 404 → -32601, Klipper errors → 400.
 */
export class MoonrakerSim {
  readonly klipper: VirtualKlipper;
  private readonly files = new Map<string, StoredFile>();
  private readonly clients = new Set<Client>();
  private readonly history: HistoryJob[] = [];
  private readonly server: http.Server;
  private readonly wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  private readonly sockets = new Set<net.Socket>();
  private readonly options: Required<Omit<MoonrakerSimOptions, 'apiKeys' | 'files' | 'pastJobs'>> & { apiKeys: string[] };
  private timer: NodeJS.Timeout | null = null;
  private stateTimer: NodeJS.Timeout | null = null;
  private lastTick = Date.now();
  private klippyEverConnected = false;
  private nextJobId = 1;
  /** Added to every reply (the demo's `delay` fault). */
  replyDelayMs = 0;
  /** Frames sent to clients, for the benchmark. */
  framesSent = 0;
  private boundPort = 0;

  constructor(options: MoonrakerSimOptions = {}) {
    this.options = {
      apiKeys: options.apiKeys ?? [],
      timeScale: options.timeScale ?? 1,
      bytesPerSecond: options.bytesPerSecond ?? 2_000,
      startupMs: options.startupMs ?? 400,
      hue: options.hue ?? 30,
    };
    for (const [name, text] of Object.entries(options.files ?? {})) this.files.set(name, { size: Buffer.byteLength(text), modified: Date.now() / 1000 });
    this.seedHistory(options.pastJobs ?? 0, Date.now() / 1000);
    this.klipper = new VirtualKlipper(this.options, {
      started: (filename) => this.historyStarted(filename),
      finished: (filename, status) => this.historyFinished(filename, status),
      gcodeResponse: (line) => this.broadcast('notify_gcode_response', [line]),
    });
    this.server = http.createServer((req, res) => void this.onHttp(req, res));
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    this.server.on('upgrade', (req, socket, head) => {
      if (new URL(req.url ?? '/', 'http://x').pathname !== '/websocket') return socket.destroy();
      this.wss.handleUpgrade(req, socket, head, (ws) => this.onSocket(ws, req));
    });
  }

  get port(): number {
    return this.boundPort;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.boundPort}`;
  }

  get clientCount(): number {
    return this.clients.size;
  }

  async start(port = 0): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    this.boundPort = (this.server.address() as net.AddressInfo).port;
    this.timer = setInterval(() => this.tick(), TICK_MS);
    this.bootKlippy(true);
    return this.boundPort;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.stateTimer) clearTimeout(this.stateTimer);
    for (const c of this.clients) c.ws.terminate();
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ---- faults and lifecycle ----

  /** An emergency stop or a heater/MCU fault. */
  shutdownKlippy(reason = 'Shutdown due to webhooks request'): void {
    if (this.klipper.state !== 'ready') return;
    this.klipper.shutdown(reason);
    this.broadcast('notify_klippy_shutdown');
  }

  /** Klippy restarts and ends in `error` (e.g. the MCU is unplugged) until the next restart. */
  failKlippyStartup(message = "mcu 'mcu': Unable to connect\nOnce the underlying issue is corrected, use the\n\"FIRMWARE_RESTART\" command to reset the firmware, reload the\nconfig, and restart the host software.\nError configuring printer"): void {
    this.restartKlippy(message);
  }

  /** Moonraker itself restarts: every socket closes; Klippy reconnects to the new process. */
  restartMoonraker(): void {
    for (const c of this.clients) c.ws.close(1001, 'Server shutdown');
    this.clients.clear();
    // Klippy keeps running (and printing) meanwhile; the new Moonraker finds it as it was.
    const was = { state: this.klipper.state, message: this.klipper.stateMessage };
    this.klippyEverConnected = false;
    this.klipper.setState('disconnected', 'Klippy Disconnected');
    if (this.stateTimer) clearTimeout(this.stateTimer);
    this.stateTimer = setTimeout(() => {
      this.stateTimer = null;
      this.klippyEverConnected = true;
      this.klipper.setState(was.state === 'disconnected' ? 'ready' : was.state, was.state === 'disconnected' ? READY_MESSAGE : was.message);
      if (this.klipper.state === 'ready') this.broadcast('notify_klippy_ready');
    }, this.options.startupMs);
  }

  dropSockets(): void {
    for (const c of this.clients) c.ws.terminate();
  }

  garbage(): void {
    for (const c of this.clients) c.ws.send('{"jsonrpc": "2.0", "method": notify_oops');
  }

  fileNamed(name: string): StoredFile | undefined {
    return this.files.get(name);
  }

  /** FIRMWARE_RESTART / RESTART: Klippy closes its API socket, so clients see disconnected → ready. */
  private restartKlippy(failWith: string | null = null): void {
    this.klipper.resetForRestart();
    this.klipper.setState('disconnected', 'Klippy Disconnected');
    this.onKlippyDisconnected();
    this.bootKlippy(false, failWith);
  }

  private bootKlippy(first: boolean, failWith: string | null = null): void {
    if (this.stateTimer) clearTimeout(this.stateTimer);
    const startup = this.options.startupMs;
    this.stateTimer = setTimeout(() => {
      this.klippyEverConnected = true;
      this.klipper.setState('startup', STARTUP_MESSAGE);
      this.stateTimer = setTimeout(() => {
        this.stateTimer = null;
        if (failWith !== null) {
          // No notification exists for error: clients learn it by polling server.info.
          this.klipper.setState('error', failWith);
          return;
        }
        this.klipper.setState('ready', READY_MESSAGE);
        this.broadcast('notify_klippy_ready');
      }, startup);
    }, first ? 0 : startup / 2);
  }

  private onKlippyDisconnected(): void {
    // Moonraker drops every client's subscription whenever Klippy goes away.
    for (const c of this.clients) {
      c.subscription.clear();
      c.sent.clear();
    }
    this.broadcast('notify_klippy_disconnected');
  }

  // ---- WebSocket JSON-RPC ----

  private onSocket(ws: WebSocket, req: http.IncomingMessage): void {
    const client: Client = { ws, authed: this.authorized(req), identified: false, subscription: new Map(), sent: new Map() };
    this.clients.add(client);
    ws.on('close', () => this.clients.delete(client));
    ws.on('error', () => undefined);
    ws.on('message', (data) => void this.onFrame(client, data.toString()));
  }

  private async onFrame(client: Client, text: string): Promise<void> {
    let msg: { jsonrpc?: unknown; method?: unknown; params?: unknown; id?: unknown };
    try {
      msg = JSON.parse(text) as typeof msg;
    } catch {
      return this.send(client, { jsonrpc: '2.0', error: { code: -32700, message: 'Parse error' }, id: null });
    }
    const id = msg.id;
    const hasId = id !== undefined && id !== null;
    if (msg.jsonrpc !== '2.0' || typeof msg.method !== 'string') {
      if (hasId) this.send(client, { jsonrpc: '2.0', error: { code: -32600, message: 'Invalid Request' }, id });
      return;
    }
    if (msg.params !== undefined && (typeof msg.params !== 'object' || msg.params === null || Array.isArray(msg.params))) {
      if (hasId) this.send(client, { jsonrpc: '2.0', error: { code: -32602, message: 'Invalid params:' }, id });
      return;
    }
    let reply: unknown;
    try {
      const result = this.dispatch(client, msg.method, (msg.params ?? {}) as Record<string, unknown>);
      reply = { jsonrpc: '2.0', result, id };
    } catch (err) {
      const e = err instanceof RpcError ? err : err instanceof KlipperError ? new RpcError(400, err.message) : new RpcError(500, (err as Error).message);
      reply = { jsonrpc: '2.0', error: { code: e.code, message: e.message }, id };
    }
    if (this.replyDelayMs > 0) await new Promise((r) => setTimeout(r, this.replyDelayMs));
    // A request without an id is a notification: Moonraker runs it and answers nothing.
    if (hasId) this.send(client, reply);
  }

  private dispatch(client: Client, method: string, params: Record<string, unknown>): unknown {
    if (!client.authed && !UNPROTECTED.has(method)) throw new RpcError(-32602, 'Unauthorized');
    if (KLIPPY_ENDPOINTS.has(method) && !this.klippyEverConnected) throw new RpcError(-32601, `Method not found: ${method}`);
    if ((KLIPPY_ENDPOINTS.has(method) || KLIPPY_FORWARDED.has(method)) && this.klipper.state === 'disconnected') throw new RpcError(503, 'Klippy Host not connected');
    const k = this.klipper;
    switch (method) {
      case 'server.connection.identify': {
        if (client.identified) throw new RpcError(-32602, 'Connection already identified');
        const key = params.api_key;
        if (typeof key === 'string') {
          if (!this.options.apiKeys.includes(key)) throw new RpcError(-32602, 'Invalid API Key');
          client.authed = true;
        }
        client.identified = true;
        return { connection_id: 1000 + this.clients.size };
      }
      case 'access.info':
        return { default_source: 'moonraker', available_sources: ['moonraker'], login_required: false, trusted: this.options.apiKeys.length === 0 };
      case 'server.info':
        return {
          klippy_connected: k.state !== 'disconnected',
          klippy_state: k.state,
          components: ['file_manager', 'history', 'webcam', 'websockets'],
          failed_components: [],
          registered_directories: ['config', 'gcodes', 'logs'],
          warnings: [],
          websocket_count: this.clients.size,
          moonraker_version: 'v0.10.0-31-gd5ee171',
          api_version: [1, 5, 0],
          api_version_string: '1.5.0',
        };
      case 'printer.info':
        return { state: k.state, state_message: k.stateMessage, hostname: 'printdeck-sim', software_version: 'v0.13.0-730-g84104bb', cpu_info: 'simulated' };
      case 'printer.objects.list':
        return { objects: Object.keys(k.objects()) };
      case 'printer.objects.query':
        return { eventtime: this.eventtime(), status: this.select(objectsParam(params)) };
      case 'printer.objects.subscribe': {
        const wanted = objectsParam(params);
        client.subscription = new Map(Object.entries(wanted));
        const status = this.select(wanted);
        client.sent = new Map(Object.entries(status).map(([name, fields]) => [name, fingerprint(fields)]));
        return { eventtime: this.eventtime(), status };
      }
      case 'printer.print.start': {
        const filename = String(params.filename ?? '').replace(/^\/+/, '');
        const file = this.files.get(filename);
        if (!file) throw new RpcError(400, `Unable to open file "${filename}"`);
        k.startPrint(filename, file.size, Date.now());
        return 'ok';
      }
      case 'printer.print.pause':
        k.pause();
        return 'ok';
      case 'printer.print.resume':
        k.resume();
        return 'ok';
      case 'printer.print.cancel':
        k.cancel();
        return 'ok';
      case 'printer.gcode.script': {
        const script = String(params.script ?? '');
        if (/^\s*FIRMWARE_RESTART\b|^\s*RESTART\b/im.test(script)) {
          this.restartKlippy();
          return 'ok';
        }
        k.runScript(script);
        return 'ok';
      }
      case 'printer.emergency_stop':
        this.shutdownKlippy();
        return 'ok';
      case 'printer.restart':
      case 'printer.firmware_restart':
        // Moonraker turns the expected "Klippy Disconnected" into "ok".
        this.restartKlippy();
        return 'ok';
      case 'server.files.list':
        return [...this.files].map(([path, f]) => ({ path, modified: f.modified, size: f.size, permissions: 'rw' }));
      case 'server.webcams.list':
        return {
          webcams: [
            { name: 'printer', location: 'printer', service: 'mjpegstreamer-adaptive', enabled: true, icon: 'mdiWebcam', target_fps: 15, target_fps_idle: 5, stream_url: '/webcam/?action=stream', snapshot_url: '/webcam/?action=snapshot', flip_horizontal: false, flip_vertical: false, rotation: 0, aspect_ratio: '4:3', extra_data: {}, source: 'config', uid: 'f6a0d8b2-5c7e-4c1e-9a7b-1d2e3f4a5b6c' },
          ],
        };
      case 'server.history.list': {
        const limit = Number(params.limit ?? 50);
        const start = Number(params.start ?? 0);
        // As Moonraker's history component: `since` compares start times, `before` end times (Unix seconds).
        const since = params.since === undefined ? -Infinity : Number(params.since);
        const before = params.before === undefined ? null : Number(params.before);
        const within = this.history.filter((j) => j.start_time > since && (before === null || (j.end_time !== null && j.end_time < before)));
        const ordered = params.order === 'asc' ? within : within.reverse();
        const jobs = ordered.slice(start, start + limit);
        return { count: jobs.length, jobs };
      }
      default:
        throw new RpcError(-32601, `Method not found: ${method}`);
    }
  }

  private select(wanted: Record<string, string[] | null>): Record<string, Record<string, unknown>> {
    const all = this.klipper.objects();
    const out: Record<string, Record<string, unknown>> = {};
    for (const [name, fields] of Object.entries(wanted)) {
      const obj = all[name];
      if (!obj) continue; // unknown objects are silently left out
      out[name] = fields === null ? obj : Object.fromEntries(Object.entries(obj).filter(([f]) => fields.includes(f)));
    }
    return out;
  }

  private tick(): void {
    const now = Date.now();
    this.klipper.tick(now - this.lastTick, now);
    this.lastTick = now;
    if (this.klipper.state !== 'ready' && this.klipper.state !== 'shutdown') return;
    for (const c of this.clients) {
      if (!c.authed || c.subscription.size === 0) continue;
      const diff: Record<string, Record<string, unknown>> = {};
      for (const [name, fields] of Object.entries(this.select(Object.fromEntries(c.subscription)))) {
        const last = c.sent.get(name) ?? {};
        const prints = fingerprint(fields);
        const changed = Object.keys(fields).filter((f) => prints[f] !== last[f]);
        if (changed.length === 0) continue;
        diff[name] = Object.fromEntries(changed.map((f) => [f, fields[f]]));
        c.sent.set(name, prints);
      }
      if (Object.keys(diff).length > 0) this.send(c, { jsonrpc: '2.0', method: 'notify_status_update', params: [diff, this.eventtime()] });
    }
  }

  private eventtime(): number {
    return Math.round(performance.now()) / 1000;
  }

  private broadcast(method: string, params?: unknown[]): void {
    for (const c of this.clients) if (c.authed) this.send(c, params === undefined ? { jsonrpc: '2.0', method } : { jsonrpc: '2.0', method, params });
  }

  private send(client: Client, message: unknown): void {
    if (client.ws.readyState !== client.ws.OPEN) return;
    this.framesSent++;
    client.ws.send(JSON.stringify(message));
  }

  private authorized(req: http.IncomingMessage): boolean {
    if (this.options.apiKeys.length === 0) return true;
    const key = req.headers['x-api-key'];
    return typeof key === 'string' && this.options.apiKeys.includes(key);
  }

  // ---- history ----

  /** Finished jobs a Klipper printer in use keeps: mostly completed, some cancelled, an error, a shutdown, one interrupted. */
  private seedHistory(count: number, now: number): void {
    const statuses = ['completed', 'completed', 'cancelled', 'completed', 'error', 'completed', 'klippy_shutdown', 'completed', 'interrupted'];
    const names = ['voron-cube.gcode', 'benchy_0.2mm_PLA.gcode', 'calibration/pa_tower.gcode', 'fan-duct_ABS.gcode'];
    for (let i = count; i >= 1; i--) {
      const status = statuses[i % statuses.length] ?? 'completed';
      const planned = 1800 + ((i * 977) % 5400);
      const ran = status === 'completed' ? planned : Math.round(planned * 0.35);
      const start = now - i * 5 * 3600 - planned;
      const interrupted = status === 'interrupted';
      this.history.push({
        job_id: String(this.nextJobId++).padStart(6, '0'),
        user: null,
        filename: names[i % names.length] ?? 'voron-cube.gcode',
        exists: i % 4 !== 2,
        status,
        start_time: start,
        end_time: interrupted ? null : start + ran + 40,
        print_duration: ran,
        total_duration: ran + 40,
        filament_used: Math.round(ran * 0.9 * 100) / 100,
        metadata: { size: 1_200_000 + i * 1000, slicer: 'PrusaSlicer', slicer_version: '2.8.1', estimated_time: planned },
        auxiliary_data: [],
      });
    }
  }

  private historyStarted(filename: string): void {
    const job: HistoryJob = {
      job_id: String(this.nextJobId++).padStart(6, '0'),
      user: null,
      filename,
      exists: true,
      status: 'in_progress',
      start_time: Date.now() / 1000,
      end_time: null,
      print_duration: 0,
      total_duration: 0,
      filament_used: 0,
      metadata: { size: this.files.get(filename)?.size ?? 0, slicer: 'PrusaSlicer', estimated_time: 600 },
      auxiliary_data: [],
    };
    this.history.push(job);
    this.broadcast('notify_history_changed', [{ action: 'added', job }]);
  }

  private historyFinished(filename: string, status: string): void {
    const job = [...this.history].reverse().find((j) => j.filename === filename && j.status === 'in_progress');
    if (!job) return;
    const stats = this.klipper.printStats;
    Object.assign(job, { status, end_time: Date.now() / 1000, print_duration: stats.print_duration, total_duration: stats.total_duration, filament_used: stats.filament_used });
    this.broadcast('notify_history_changed', [{ action: 'finished', job }]);
  }

  // ---- HTTP ----

  private async onHttp(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const json = (status: number, body: unknown): void => {
      res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
    };
    if (url.pathname === '/webcam/' || url.pathname === '/webcam') {
      res.writeHead(200, { 'Content-Type': 'image/jpeg' }).end(snapshotJpeg(this.klipper.sd.progress, this.options.hue));
      return;
    }
    if (!this.authorized(req)) return json(401, { error: { code: 401, message: 'Unauthorized' } });
    if (req.method === 'GET' && url.pathname === '/server/info') return json(200, { result: this.dispatch({ authed: true } as Client, 'server.info', {}) });
    if (req.method === 'POST' && url.pathname === '/server/files/upload') return this.onUpload(req, json);
    json(404, { error: { code: 404, message: 'Not Found' } });
  }

  private async onUpload(req: http.IncomingMessage, json: (status: number, body: unknown) => void): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const boundary = boundaryOf(req.headers['content-type']);
    const form = boundary === null ? null : parseMultipart(Buffer.concat(chunks), boundary);
    if (!form?.file) return json(400, { error: { code: 400, message: 'No file part in the request' } });
    const dir = (form.fields.get('path') ?? '').replace(/^\/+|\/+$/g, '');
    const path = dir ? `${dir}/${form.file.filename}` : form.file.filename;
    const k = this.klipper;
    const active = k.printStats.state === 'printing' || k.printStats.state === 'paused';
    if (active && k.printStats.filename === path) return json(403, { error: { code: 403, message: 'File is loaded, upload not permitted' } });
    this.files.set(path, { size: form.file.data.length, modified: Date.now() / 1000 });
    const item = { path, root: 'gcodes', modified: Date.now() / 1000, size: form.file.data.length, permissions: 'rw' };
    this.broadcast('notify_filelist_changed', [{ action: 'create_file', item }]);
    let started = false;
    // Only the exact lowercase string "true" starts the job; a failed start is swallowed.
    if (form.fields.get('print') === 'true' && !active && k.state === 'ready') {
      try {
        k.startPrint(path, form.file.data.length, Date.now());
        started = true;
      } catch {
        started = false;
      }
    }
    json(201, { result: { item, print_started: started, print_queued: false, action: 'create_file' } });
  }
}

function objectsParam(params: Record<string, unknown>): Record<string, string[] | null> {
  const objects = params.objects;
  if (typeof objects !== 'object' || objects === null || Array.isArray(objects)) throw new RpcError(400, 'Invalid argument: objects');
  const out: Record<string, string[] | null> = {};
  for (const [name, fields] of Object.entries(objects)) {
    if (fields !== null && !(Array.isArray(fields) && fields.every((f) => typeof f === 'string'))) throw new RpcError(400, `Invalid argument for ${name}`);
    out[name] = fields as string[] | null;
  }
  return out;
}

function fingerprint(fields: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).map(([f, v]) => [f, JSON.stringify(v)]));
}

export type { KlippyState };
