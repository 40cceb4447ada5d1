import http from 'node:http';
import type net from 'node:net';
import { Accounts, SIM_USER } from './accounts';
import { boundaryOf, parseMultipart } from '../http/multipart-parse';
import { PushHub } from './push-hub';
import { snapshotJpeg } from './snapshot';
import { BAUDRATES, parseGcode, PORTS, SimError, VirtualPrinter, type StoredFile } from './virtual-printer';

export interface OctoPrintSimOptions {
  /** API keys accepted from the start (user keys). */
  apiKeys?: string[];
  /** Approve Application Keys requests after this many ms; null waits for a decision. */
  autoApproveMs?: number | null;
  /** Simulated time runs this many times faster than the wall clock. */
  timeScale?: number;
  /** Connect the virtual printer at start, as OctoPrint's autoconnect does. */
  autoConnect?: boolean;
  /** Files on the server at start: path -> G-code text. */
  files?: Record<string, string>;
  /** Files already parsed, shared between many simulators (a fleet of hundreds parses its G-code once). */
  parsedFiles?: readonly StoredFile[];
  /** Serve the Application Keys plugin (probe 204); false answers 404 like a disabled plugin. */
  appKeys?: boolean;
  /**
   * A webcam set up as on OctoPi (stream at /webcam/?action=stream, default). false: 1.11's own
   * defaults, empty URLs and `canSnapshot: false`, as a real server without a camera reports them.
   */
  webcam?: boolean;
  hue?: number;
  /**
   * Minutes the server was up before this start: its `history` message then carries that backlog of
   * temperature points (a real 1.11.8 sent 359 points covering 12 minutes to a client that connected late).
   */
  uptimeMinutes?: number;
  /**
   * Files printed before this start: each file at start gets print counts and a last print that
   * ended this many hours apart, newest first (OctoPrint keeps only that per file, no job history).
   */
  pastPrints?: boolean;
}

/** What OctoPrint's file metadata keeps of a file's prints: counts, the last one, the last successful print time. */
interface FilePrints {
  success: number;
  failure: number;
  last: { date: number; success: boolean } | null;
  lastPrintTime: number | null;
  averagePrintTime: number | null;
}

type Json = Record<string, unknown>;

const MAX_JSON_BODY = 1024 * 1024;
const MAX_UPLOAD = 256 * 1024 * 1024;
const TICK_MS = 250;
const PERMISSION_DENIED =
  "You don't have the permission to access the requested resource. It is either read-protected or not readable by the server.";
const VERSION = '1.11.8';

class HttpFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * An OctoPrint 1.11 look-alike on loopback: the REST subset a control center uses with the same
 * status codes and `{"error": …}` bodies, Application Keys, passive login, the SockJS push
 * socket, a virtual printer and a webcam snapshot. `restart()` drops every session and socket,
 * as a real restart does.
 */
export class OctoPrintSim {
  readonly accounts: Accounts;
  readonly printer: VirtualPrinter;
  private readonly push: PushHub;
  private readonly files = new Map<string, StoredFile>();
  /** Per file path; kept when a file is uploaded again under the same name. */
  private readonly prints = new Map<string, FilePrints>();
  private server: http.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  private timer: NodeJS.Timeout | null = null;
  private boundPort = 0;
  private tickCount = 0;
  /** Added to every /api reply: the "slow REST" fault. */
  restDelayMs = 0;
  /** While set, uploads are not read: the client's progress stops part-way until the hold is released. */
  private uploadGate: Promise<void> | null = null;
  private readonly historyTemps: Json[] = [];
  private readonly historyLogs: string[] = [];
  private readonly historyMarkings: Json[] = [];
  private readonly hue: number;
  private readonly appKeysEnabled: boolean;
  /** Counts requests per path, so tests can see that a client stopped calling. */
  readonly requestCount = new Map<string, number>();

  constructor(private readonly options: OctoPrintSimOptions = {}) {
    this.accounts = new Accounts(options.apiKeys ?? [], options.autoApproveMs ?? null);
    this.hue = options.hue ?? 40;
    this.seedTemperatureBacklog(options.uptimeMinutes ?? 0);
    this.appKeysEnabled = options.appKeys ?? true;
    this.printer = new VirtualPrinter(
      {
        event: (type, payload) => {
          if (type === 'PrintDone' || type === 'PrintFailed') this.logPrint(payload, type === 'PrintDone');
          this.push.markDirty();
          this.push.event(type, payload);
        },
        log: (line) => {
          this.push.log(line);
          this.historyLogs.push(line);
          if (this.historyLogs.length > 300) this.historyLogs.shift();
        },
        message: (line) => this.push.message(line),
        marking: (type, label) => {
          const mark = { type, label, time: Date.now() / 1000 };
          this.push.marking(mark);
          this.historyMarkings.push(mark);
          if (this.historyMarkings.length > 50) this.historyMarkings.shift();
        },
      },
      options.timeScale ?? 1,
    );
    this.push = new PushHub(this.accounts, {
      snapshot: () => this.snapshot(),
      history: () => ({ temps: [...this.historyTemps], logs: [...this.historyLogs], messages: [], markings: [...this.historyMarkings] }),
      connectedPayload: () => ({
        version: VERSION,
        display_version: VERSION,
        branch: 'main',
        python_version: '3.11.2',
        plugin_hash: 'df9fb81ba8e8df0e3bebf3284c09f651',
        config_hash: '78b4246ebaff82676d41c4d9bd051ec1',
        debug: false,
        safe_mode: null,
        online: true,
        permissions: [{ key: 'STATUS', name: 'Status', dangerous: false, default_groups: ['users'], description: 'status', needs: { role: ['status'] } }],
      }),
    });
    const now = Math.floor(Date.now() / 1000);
    for (const [path, text] of Object.entries(options.files ?? {})) this.files.set(path, parseGcode(path, Buffer.from(text), now));
    for (const file of options.parsedFiles ?? []) this.files.set(file.path, file);
    if (options.pastPrints) this.seedPrints(Date.now() / 1000);
  }

  /** As OctoPrint's file manager logs a print when it ends (a cancel counts as a failure). */
  private logPrint(payload: Record<string, unknown> | null, success: boolean): void {
    const path = typeof payload?.path === 'string' ? payload.path : null;
    if (!path) return;
    const time = typeof payload?.time === 'number' ? payload.time : null;
    const p = this.prints.get(path) ?? { success: 0, failure: 0, last: null, lastPrintTime: null, averagePrintTime: null };
    if (success) {
      p.success += 1;
      if (time !== null) {
        p.averagePrintTime = p.averagePrintTime === null ? time : (p.averagePrintTime * (p.success - 1) + time) / p.success;
        p.lastPrintTime = time;
      }
    } else p.failure += 1;
    p.last = { date: Date.now() / 1000, success };
    this.prints.set(path, p);
  }

  /** A server in use: every file printed a few times, its last print a day or two back, one of them failed. */
  private seedPrints(now: number): void {
    let i = 0;
    for (const path of this.files.keys()) {
      i++;
      const success = i % 3 !== 2;
      const printTime = 1500 + i * 430.5;
      this.prints.set(path, {
        success: 2 + i,
        failure: 1 + (i % 2),
        last: { date: now - i * 26 * 3600 - 0.25, success },
        lastPrintTime: printTime,
        averagePrintTime: printTime + 12.5,
      });
    }
  }

  get port(): number {
    return this.boundPort;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.boundPort}`;
  }

  /** Calls `listener` with the job's completion (percent) each time a `current` message goes out; null stops. */
  onCurrentPushed(listener: ((completion: number | null) => void) | null): void {
    this.push.onCurrent = listener === null ? null : (snapshot) => listener(((snapshot.progress ?? {}) as { completion?: number | null }).completion ?? null);
  }

  /** Push frames sent so far (all sockets). */
  get framesSent(): number {
    return this.push.framesSent;
  }

  fileNamed(path: string): StoredFile | undefined {
    return this.files.get(path);
  }

  /** Sockets currently open on the push endpoint. */
  get pushClients(): number {
    return this.push.size;
  }

  async start(port = 0): Promise<number> {
    const server = http.createServer((req, res) => void this.handle(req, res));
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    server.on('clientError', (err: Error & { rawPacket?: Buffer }, socket) => {
      // A TLS ClientHello (an https:// client on this plain-HTTP port): OctoPrint's Tornado keeps
      // waiting for the end of a header that never comes and answers nothing. Other garbage: 400.
      if (err.rawPacket?.[0] === 0x16) return;
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      else socket.destroy();
    });
    this.push.install(server);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.boundPort = (server.address() as net.AddressInfo).port;
    if (this.options.autoConnect !== false && this.printer.state === 'Offline') this.printer.connect('VIRTUAL', 115200);
    this.timer ??= setInterval(() => this.tick(), TICK_MS);
    return this.boundPort;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.push.closeAll();
    for (const s of this.sockets) s.destroy();
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** A server restart: sockets end and every login session is gone (stale on re-auth). */
  restart(): void {
    this.accounts.dropSessions();
    this.push.closeAll();
    for (const s of this.sockets) s.destroy();
  }

  /** Sessions expire (stale after 15 minutes idle): bound sockets are told to re-authenticate. */
  expireSessions(): void {
    this.accounts.dropSessions();
    this.push.reauthAll('stale');
  }

  /** Drops the push sockets only (a flaky link). */
  dropSockets(): void {
    this.push.closeAll();
  }

  garbage(): void {
    this.push.garbage();
  }

  private tick(): void {
    this.tickCount++;
    this.printer.tick(TICK_MS);
    // One temperature point a second, like autoreporting firmware (M155 S1).
    if (this.tickCount % 4 === 0 && this.printer.state !== 'Offline' && this.printer.state !== 'Offline after error') {
      const point = {
        time: Math.floor(Date.now() / 1000),
        tool0: { actual: this.printer.tool.actual, target: this.printer.tool.target },
        bed: { actual: this.printer.bed.actual, target: this.printer.bed.target },
        chamber: { actual: null, target: null },
      };
      this.push.temperature(point);
      this.historyTemps.push(point);
      if (this.historyTemps.length > 1800) this.historyTemps.shift();
    }
    if (this.printer.printing) this.push.markDirty();
    if (this.tickCount % 2 === 0) this.push.round();
  }

  private snapshot(): Json {
    const busy = this.printer.jobActive && this.printer.selected ? [{ origin: 'local', path: this.printer.selected.path }] : [];
    return {
      state: { text: this.printer.state, flags: this.printer.flags(), error: this.printer.error },
      job: this.printer.job(),
      currentZ: this.printer.currentZ,
      progress: this.printer.progress(),
      offsets: { tool0: this.printer.tool.offset, bed: this.printer.bed.offset },
      resends: { count: 0, transmitted: 100, ratio: 0 },
      serverTime: Date.now() / 1000,
      busyFiles: busy,
    };
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sim');
    const method = req.method ?? 'GET';
    this.requestCount.set(url.pathname, (this.requestCount.get(url.pathname) ?? 0) + 1);
    try {
      if (url.pathname.startsWith('/api/') && this.restDelayMs > 0) await sleep(this.restDelayMs);
      await this.route(method, url, req, res);
    } catch (err) {
      const status = err instanceof HttpFailure || err instanceof SimError ? err.status : 500;
      const message = err instanceof Error ? err.message : 'Internal error';
      if (!res.headersSent) sendJson(res, status, { error: message });
      else res.destroy();
    }
  }

  private apiKeyOf(req: http.IncomingMessage, url: URL): string | null {
    const header = req.headers['x-api-key'];
    if (typeof header === 'string' && header !== '') return header;
    const auth = req.headers.authorization;
    if (typeof auth === 'string' && auth.startsWith('Bearer ')) return auth.slice(7);
    return url.searchParams.get('apikey');
  }

  /** Invalid or revoked key: GET 403, anything else 400 "CSRF validation failed" [verified]. */
  private requireUser(method: string, req: http.IncomingMessage, url: URL): string {
    const user = this.accounts.userOfKey(this.apiKeyOf(req, url));
    if (user !== null) return user;
    if (method === 'GET' || method === 'HEAD') throw new HttpFailure(403, PERMISSION_DENIED);
    throw new HttpFailure(400, 'CSRF validation failed');
  }

  private async route(method: string, url: URL, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = url.pathname;
    if (path.startsWith('/plugin/appkeys/')) return this.appKeysRoute(method, path, req, res);
    if (path === '/webcam/' || path === '/webcam') {
      if (url.searchParams.get('action') !== 'snapshot') throw new HttpFailure(404, 'Not found');
      const progress = Number(this.printer.progress().completion ?? 0) / 100;
      const image = snapshotJpeg(progress, this.hue);
      res.writeHead(200, { 'Content-Type': 'image/jpeg', 'Content-Length': image.length });
      res.end(image);
      return;
    }
    if (path.startsWith('/downloads/files/')) return this.download(method, path, req, url, res);
    if (!path.startsWith('/api/')) throw new HttpFailure(404, 'Not found');
    if (path === '/api/login' && method === 'GET') throw new HttpFailure(405, 'Method Not Allowed');
    const user = this.requireUser(method, req, url);

    if (path === '/api/version' && method === 'GET') return sendJson(res, 200, { api: '0.1', server: VERSION, text: `OctoPrint ${VERSION}` });
    if (path === '/api/server' && method === 'GET') return sendJson(res, 200, { version: VERSION, safemode: null });
    if (path === '/api/currentuser' && method === 'GET') return sendJson(res, 200, { name: user, permissions: [{ key: 'STATUS' }], groups: [{ key: 'users' }] });
    if (path === '/api/login' && method === 'POST') {
      const body = await readJson(req);
      if (body.passive !== true) throw new HttpFailure(400, 'passive login expected');
      return sendJson(res, 200, {
        name: user,
        session: this.accounts.login(user),
        active: true,
        admin: true,
        user: true,
        groups: ['admins', 'users'],
        roles: ['user', 'admin'],
        apikey: null,
        _is_external_client: false,
        _login_mechanism: 'apikey',
        _credentials_seen: new Date().toISOString(),
      });
    }
    if (path === '/api/connection') return this.connectionRoute(method, req, res);
    if (path.startsWith('/api/printer')) return this.printerRoute(method, path, url, req, res);
    if (path === '/api/job') return this.jobRoute(method, req, res);
    if (path.startsWith('/api/files')) return this.filesRoute(method, path, req, res);
    if (path === '/api/settings' && method === 'GET') return sendJson(res, 200, this.settings());
    if (path === '/api/plugin/appkeys') {
      if (method === 'GET') return sendJson(res, 200, { keys: this.accounts.appKeys(), pending: this.accounts.pending() });
      const body = await readJson(req);
      if (body.command === 'revoke' && typeof body.app === 'string') {
        this.accounts.revokeApp(body.app);
        return sendEmpty(res, 204);
      }
      if (body.command === 'generate' && typeof body.app === 'string') {
        return sendJson(res, 200, { user_id: user, app_id: body.app, api_key: this.accounts.generateKey(body.app) });
      }
      throw new HttpFailure(400, 'Unknown command');
    }
    throw new HttpFailure(404, 'Not found');
  }

  private async appKeysRoute(method: string, path: string, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (!this.appKeysEnabled) throw new HttpFailure(404, 'Not found');
    if (path === '/plugin/appkeys/probe' && method === 'GET') return sendEmpty(res, 204);
    if (path === '/plugin/appkeys/request' && method === 'POST') {
      const body = await readJson(req);
      if (typeof body.app !== 'string' || body.app === '') throw new HttpFailure(400, 'Need app');
      const r = this.accounts.request(body.app, typeof body.user === 'string' ? body.user : null);
      const userQuery = r.user === null ? '' : `?user=${encodeURIComponent(r.user)}`;
      res.setHeader('Location', `${this.baseUrl}/plugin/appkeys/request/${r.appToken}`);
      this.push.plugin('appkeys', { type: 'request_access', app_name: r.app, user_token: r.userToken, user_id: r.user });
      return sendJson(res, 201, { app_token: r.appToken, auth_dialog: `${this.baseUrl}/plugin/appkeys/auth/${r.appToken}${userQuery}` });
    }
    const poll = /^\/plugin\/appkeys\/request\/([^/]+)$/.exec(path);
    if (poll && method === 'GET') {
      const answer = this.accounts.poll(decodeURIComponent(poll[1] ?? ''));
      if (answer === 'pending') return sendJson(res, 202, { message: 'Awaiting decision' });
      if (answer === null) throw new HttpFailure(404, 'Not found');
      return sendJson(res, 200, { api_key: answer.apiKey });
    }
    const decision = /^\/plugin\/appkeys\/decision\/([^/]+)$/.exec(path);
    if (decision && method === 'POST') {
      this.requireUser(method, req, new URL(req.url ?? '/', 'http://sim'));
      const body = await readJson(req);
      if (typeof body.decision !== 'boolean') throw new HttpFailure(400, 'Need decision');
      if (!this.accounts.decide(decodeURIComponent(decision[1] ?? ''), body.decision)) throw new HttpFailure(404, 'Not found');
      return sendEmpty(res, 204);
    }
    // The auth dialog a desktop app opens in the system browser. The real one asks for a login
    // first; the simulator's admin is always logged in.
    const dialog = /^\/plugin\/appkeys\/auth\/([^/]+)$/.exec(path);
    if (dialog) {
      const token = decodeURIComponent(dialog[1] ?? '');
      if (method === 'POST') {
        const form = new URLSearchParams((await readBody(req, MAX_JSON_BODY)).toString('utf8'));
        const ok = this.accounts.decideByAppToken(token, form.get('decision') === 'allow');
        return sendHtml(res, ok ? 200 : 404, ok ? '<p>Done. You can close this window.</p>' : '<p>This request has expired.</p>');
      }
      return sendHtml(
        res,
        200,
        `<h1>Access request</h1><p>An application wants access to this OctoPrint as ${SIM_USER}.</p>` +
          `<form method="post"><button name="decision" value="allow">Allow</button> <button name="decision" value="deny">Deny</button></form>`,
      );
    }
    throw new HttpFailure(404, 'Not found');
  }

  private async connectionRoute(method: string, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const p = this.printer;
    if (method === 'GET') {
      const state = p.state === 'Offline' ? 'Closed' : p.state;
      return sendJson(res, 200, {
        current: { state, port: p.port, baudrate: p.baudrate, printerProfile: '_default' },
        options: { ports: PORTS, baudrates: BAUDRATES, printerProfiles: [{ id: '_default', name: 'Default' }], portPreference: null, baudratePreference: null, printerProfilePreference: '_default', autoconnect: true },
      });
    }
    const body = await readJson(req);
    if (body.command === 'connect') {
      p.connect(typeof body.port === 'string' ? body.port : undefined, typeof body.baudrate === 'number' ? body.baudrate : undefined);
      return sendEmpty(res, 204);
    }
    if (body.command === 'disconnect') {
      p.disconnect();
      return sendEmpty(res, 204);
    }
    throw new HttpFailure(400, 'Unknown command');
  }

  private async printerRoute(method: string, path: string, url: URL, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const p = this.printer;
    if (method === 'GET') {
      p.requireOperational();
      const temperature: Json = {
        tool0: { actual: p.tool.actual, target: p.tool.target, offset: p.tool.offset },
        bed: { actual: p.bed.actual, target: p.bed.target, offset: p.bed.offset },
      };
      if (url.searchParams.get('history') === 'true') temperature.history = this.historyTemps.slice(-Number(url.searchParams.get('limit') ?? 300));
      if (path === '/api/printer') return sendJson(res, 200, { state: { text: p.state, flags: p.flags(), error: p.error }, temperature, sd: { ready: false } });
      if (path === '/api/printer/tool') return sendJson(res, 200, { tool0: temperature.tool0 });
      if (path === '/api/printer/bed') return sendJson(res, 200, { bed: temperature.bed });
      throw new HttpFailure(404, 'Not found');
    }
    const body = await readJson(req);
    // Every command is checked for an operational printer before its values [verified].
    p.requireOperational();
    if (path === '/api/printer/tool') {
      if (body.command === 'target' && isNumberRecord(body.targets)) {
        for (const v of Object.values(body.targets)) p.setToolTarget(v);
        this.push.markDirty();
        return sendEmpty(res, 204);
      }
      if (body.command === 'offset' && isNumberRecord(body.offsets)) {
        for (const v of Object.values(body.offsets)) p.tool.offset = v;
        this.push.markDirty();
        return sendEmpty(res, 204);
      }
      throw new HttpFailure(400, 'Invalid command');
    }
    if (path === '/api/printer/bed') {
      if (body.command === 'target' && typeof body.target === 'number') {
        p.setBedTarget(body.target);
        return sendEmpty(res, 204);
      }
      if (body.command === 'offset' && typeof body.offset === 'number') {
        p.bed.offset = body.offset;
        this.push.markDirty();
        return sendEmpty(res, 204);
      }
      throw new HttpFailure(400, 'Invalid command');
    }
    if (path === '/api/printer/printhead') {
      if (body.command === 'jog') {
        const axes: Record<string, number> = {};
        for (const a of ['x', 'y', 'z']) if (typeof body[a] === 'number') axes[a] = body[a];
        if (Object.keys(axes).length === 0) throw new HttpFailure(400, 'No axes');
        p.jog(axes);
        return sendEmpty(res, 204);
      }
      if (body.command === 'home' && Array.isArray(body.axes)) {
        p.home(body.axes.filter((a): a is string => typeof a === 'string'));
        return sendEmpty(res, 204);
      }
      throw new HttpFailure(400, 'Invalid command');
    }
    if (path === '/api/printer/command') {
      const list = typeof body.command === 'string' ? [body.command] : Array.isArray(body.commands) ? body.commands : null;
      if (!list) throw new HttpFailure(400, 'Need command or commands');
      for (const c of list) if (typeof c === 'string') p.gcode(c);
      return sendEmpty(res, 204);
    }
    throw new HttpFailure(404, 'Not found');
  }

  private async jobRoute(method: string, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const p = this.printer;
    if (method === 'GET') return sendJson(res, 200, { job: p.job(), progress: p.progress(), state: p.state, error: p.error });
    const body = await readJson(req);
    p.requireOperational();
    if (body.command === 'start') p.start();
    else if (body.command === 'cancel') p.cancel();
    else if (body.command === 'pause') {
      const action = body.action ?? 'toggle';
      if (action !== 'pause' && action !== 'resume' && action !== 'toggle') throw new HttpFailure(400, 'Unknown action');
      p.pause(action);
    } else throw new HttpFailure(400, 'Unknown command');
    return sendEmpty(res, 204);
  }

  private fileEntry(f: StoredFile): Json {
    const encoded = f.path.split('/').map(encodeURIComponent).join('/');
    return {
      name: f.name,
      display: f.name,
      path: f.path,
      origin: 'local',
      type: 'machinecode',
      typePath: ['machinecode', 'gcode'],
      size: f.size,
      date: f.date,
      hash: null,
      user: SIM_USER,
      refs: { resource: `${this.baseUrl}/api/files/local/${encoded}`, download: `${this.baseUrl}/downloads/files/local/${encoded}` },
      gcodeAnalysis: { estimatedPrintTime: (f.commands.length * 120) / 1000, filament: { tool0: { length: f.commands.length * 0.5, volume: 0 } } },
      ...this.printsOf(f.path),
    };
  }

  private printsOf(path: string): Json {
    const p = this.prints.get(path);
    if (!p) return { prints: { success: 0, failure: 0 } };
    return {
      prints: { success: p.success, failure: p.failure, ...(p.last ? { last: p.last } : {}) },
      ...(p.lastPrintTime === null || p.averagePrintTime === null
        ? {}
        : { statistics: { averagePrintTime: { _default: p.averagePrintTime }, lastPrintTime: { _default: p.lastPrintTime } } }),
    };
  }

  private async filesRoute(method: string, path: string, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if ((path === '/api/files' || path === '/api/files/local') && method === 'GET') {
      const files = [...this.files.values()].sort((a, b) => b.date - a.date).map((f) => this.fileEntry(f));
      return sendJson(res, 200, { files, free: 83_307_700_224, total: 270_553_174_016 });
    }
    if (path === '/api/files/local' && method === 'POST') return this.upload(req, res);
    const m = /^\/api\/files\/(local|sdcard)\/(.+)$/.exec(path);
    if (!m) throw new HttpFailure(404, 'Not found');
    if (m[1] === 'sdcard') throw new HttpFailure(404, 'File not found on SD card');
    const filePath = (m[2] ?? '').split('/').map(decodeURIComponent).join('/');
    const file = this.files.get(filePath);
    if (!file) throw new HttpFailure(404, `File not found on 'local': ${filePath}`);
    if (method === 'GET') return sendJson(res, 200, this.fileEntry(file));
    if (method === 'DELETE') {
      if (this.printer.jobActive && this.printer.selected?.path === filePath) throw new HttpFailure(409, 'Trying to delete a file that is currently in use');
      this.files.delete(filePath);
      if (this.printer.selected?.path === filePath) this.printer.select(null);
      this.push.event('FileRemoved', { storage: 'local', path: file.path, name: file.name, type: ['machinecode', 'gcode'], operation: 'remove' });
      this.push.event('UpdatedFiles', { type: 'printables' });
      return sendEmpty(res, 204);
    }
    if (method === 'POST') {
      const body = await readJson(req);
      if (body.command !== 'select') throw new HttpFailure(400, 'Unknown command');
      if (this.printer.jobActive) throw new HttpFailure(409, 'Printer is already printing, cannot select a new file');
      if (body.print === true) this.printer.requireOperational();
      this.printer.select(file);
      if (body.print === true) this.printer.start();
      this.push.markDirty();
      return sendEmpty(res, 204);
    }
    throw new HttpFailure(405, 'Method Not Allowed');
  }

  /**
   * The webcam part of `/api/settings` in 1.11.8's shape: the classic webcam plugin holds the URLs,
   * `webcam` carries compatibility copies and the `webcams` list (1.11 has no `/api/webcams`).
   */
  private settings(): Json {
    const stream = this.options.webcam === false ? '' : '/webcam/?action=stream';
    // Absolute, as OctoPi sets it (there it names the streamer's own port; here this server serves it).
    const snapshot = this.options.webcam === false ? '' : `${this.baseUrl}/webcam/?action=snapshot`;
    const common = { cacheBuster: false, snapshotSslValidation: true, snapshotTimeout: 5, streamRatio: '16:9', streamTimeout: 5, streamWebrtcIceServers: ['stun:stun.l.google.com:19302'] };
    return {
      webcam: {
        webcamEnabled: true,
        timelapseEnabled: true,
        streamUrl: stream,
        snapshotUrl: snapshot,
        defaultWebcam: 'classic',
        snapshotWebcam: 'classic',
        streamRatio: '16:9',
        flipH: false,
        flipV: false,
        rotate90: false,
        webcams: [
          {
            name: 'classic',
            displayName: 'Classic Webcam',
            provider: 'classicwebcam',
            canSnapshot: snapshot !== '',
            snapshotDisplay: snapshot,
            flipH: false,
            flipV: false,
            rotate90: false,
            compat: { ...common, stream, snapshot },
            extras: { ...common, stream },
          },
        ],
      },
      plugins: { classicwebcam: { ...common, flipH: false, flipV: false, rotate90: false, stream, snapshot, snapshotAuth: 'none' } },
    };
  }

  /**
   * `GET /downloads/files/local/<path>` (the entries' `refs.download`): the stored bytes with the key,
   * 403 without [verified], 404 for a file that is not there.
   */
  private download(method: string, path: string, req: http.IncomingMessage, url: URL, res: http.ServerResponse): Promise<void> | void {
    if (method !== 'GET' && method !== 'HEAD') throw new HttpFailure(405, 'Method Not Allowed');
    this.requireUser(method, req, url);
    const m = /^\/downloads\/files\/local\/(.+)$/.exec(path);
    const filePath = m ? (m[1] ?? '').split('/').map(decodeURIComponent).join('/') : null;
    const file = filePath === null ? undefined : this.files.get(filePath);
    if (!file) throw new HttpFailure(404, 'Not found');
    res.writeHead(200, {
      // Python's mimetypes knows no G-code, so Tornado sends it as bytes, as an attachment.
      'Content-Type': 'application/octet-stream',
      'Content-Length': file.bytes.length,
      'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`,
      'Last-Modified': new Date(file.date * 1000).toUTCString(),
    });
    res.end(method === 'HEAD' ? undefined : file.bytes);
  }

  /** Points every 2 s (OctoPrint's default temperature interval while idle) for the minutes before now. */
  private seedTemperatureBacklog(minutes: number): void {
    const now = Math.floor(Date.now() / 1000);
    for (let age = Math.floor(minutes * 30); age > 0; age--) {
      const wobble = Math.sin(age / 7);
      this.historyTemps.push({
        time: now - age * 2,
        tool0: { actual: 21.3 + wobble, target: 0 },
        bed: { actual: 21.0 + wobble / 2, target: 0 },
        chamber: { actual: null, target: null },
      });
    }
    if (this.historyTemps.length > 1800) this.historyTemps.splice(0, this.historyTemps.length - 1800);
  }

  /** Holds every upload before its body is read (a server that stalls); returns the release. For tests. */
  holdUploads(): () => void {
    let release = (): void => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    this.uploadGate = gate;
    return () => {
      if (this.uploadGate === gate) this.uploadGate = null;
      release();
    };
  }

  private async upload(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (this.uploadGate) await this.uploadGate;
    const boundary = boundaryOf(req.headers['content-type']);
    if (boundary === null) throw new HttpFailure(400, 'No file to upload and no folder to create');
    const body = await readBody(req, MAX_UPLOAD);
    const form = parseMultipart(body, boundary);
    if (!form.file) throw new HttpFailure(400, 'No file to upload and no folder to create');
    const folder = (form.fields.get('path') ?? '').replace(/^\/+|\/+$/g, '');
    const filePath = [folder, form.file.filename].filter((s) => s !== '').join('/');
    if (!/\.(gcode|gco|g)$/i.test(filePath)) throw new HttpFailure(415, 'Could not upload file, invalid type');
    if (this.printer.jobActive && this.printer.selected?.path === filePath) throw new HttpFailure(409, 'Trying to overwrite file that is currently being printed');
    const stored = parseGcode(filePath, form.file.data, Math.floor(Date.now() / 1000));
    this.files.set(filePath, stored);
    const wantPrint = form.fields.get('print') === 'true';
    const wantSelect = wantPrint || form.fields.get('select') === 'true';
    // Not operational: select/print are ignored, still 201 [verified].
    const effectiveSelect = wantSelect && this.printer.operational && !this.printer.jobActive;
    const effectivePrint = wantPrint && effectiveSelect;
    this.push.event('FileAdded', { storage: 'local', path: filePath, name: stored.name, type: ['machinecode', 'gcode'], operation: 'add' });
    this.push.event('UpdatedFiles', { type: 'printables' });
    if (effectiveSelect) this.printer.select(stored);
    if (effectivePrint) this.printer.start();
    this.push.event('Upload', { name: stored.name, path: filePath, target: 'local', select: wantSelect, print: wantPrint, effective_select: effectiveSelect, effective_print: effectivePrint });
    const entry = this.fileEntry(stored);
    res.setHeader('Location', String((entry.refs as Json).resource));
    return sendJson(res, 201, {
      done: true,
      files: { local: { name: stored.name, origin: 'local', path: filePath, refs: entry.refs } },
      effectiveSelect,
      effectivePrint,
    });
  }
}

function isNumberRecord(value: unknown): value is Record<string, number> {
  return typeof value === 'object' && value !== null && Object.values(value).every((v) => typeof v === 'number');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new HttpFailure(413, 'Request too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

async function readJson(req: http.IncomingMessage): Promise<Json> {
  const text = (await readBody(req, MAX_JSON_BODY)).toString('utf8');
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new HttpFailure(400, 'Malformed JSON body in request');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new HttpFailure(400, 'Malformed JSON body in request');
  return parsed as Json;
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function sendEmpty(res: http.ServerResponse, status: number): void {
  res.writeHead(status);
  res.end();
}

function sendHtml(res: http.ServerResponse, status: number, body: string): void {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>OctoPrint</title></head><body>${body}</body></html>`;
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8' });
  res.end(html);
}
