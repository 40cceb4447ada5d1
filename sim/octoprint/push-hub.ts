import type http from 'node:http';
import sockjs from 'sockjs';
import type { Accounts } from './accounts';

/**
 * The simulated OctoPrint's SockJS endpoint (`/sockjs`): `connected` on open, `auth` with a
 * `name:session` from a passive login, `throttle`, `subscribe`, then `history` once and `current`
 * at most every 500 ms × throttle with the temperatures, logs and messages accumulated since the
 * last one, and every `event` as it happens. Messages before auth are held back (max 100).
 */

type Json = Record<string, unknown>;

interface Client {
  conn: sockjs.Connection;
  user: string | null;
  throttle: number;
  /** Ticks of 500 ms since the last `current`. */
  ticks: number;
  stateOn: boolean;
  events: boolean | string[];
  held: string[];
  temps: Json[];
  logs: string[];
  messages: string[];
  markings: Json[];
}

export interface PushSource {
  /** The state/job/progress part of `current`/`history`. */
  snapshot(): Json;
  /** Full backlog for `history`. */
  history(): { temps: Json[]; logs: string[]; messages: string[]; markings: Json[] };
  connectedPayload(): Json;
}

const MAX_HELD = 100;
const MAX_PENDING = 500;

export class PushHub {
  private readonly clients = new Set<Client>();
  private readonly server: sockjs.Server;
  /** Something changed since the last round (state, progress): every client gets a `current`. */
  private dirty = true;
  framesSent = 0;
  /** Told once per round that sent a `current` (benchmarks stamp the moment the printer spoke). */
  onCurrent: ((snapshot: Json) => void) | null = null;

  constructor(
    private readonly accounts: Accounts,
    private readonly source: PushSource,
  ) {
    this.server = sockjs.createServer({ prefix: '/sockjs', log: () => {}, heartbeat_delay: 25_000, disconnect_delay: 5_000 });
    this.server.on('connection', (conn: sockjs.Connection | null) => {
      // sockjs hands over null for connections that closed during the handshake.
      if (conn) this.accept(conn);
    });
  }

  install(httpServer: http.Server): void {
    this.server.installHandlers(httpServer);
  }

  get size(): number {
    return this.clients.size;
  }

  markDirty(): void {
    this.dirty = true;
  }

  event(type: string, payload: Json | null): void {
    for (const c of this.clients) {
      if (c.events === false || (Array.isArray(c.events) && !c.events.includes(type))) continue;
      this.send(c, { event: { type, payload } });
    }
  }

  plugin(plugin: string, data: Json): void {
    for (const c of this.clients) this.send(c, { plugin: { plugin, data } });
  }

  temperature(point: Json): void {
    for (const c of this.clients) pushBounded(c.temps, point);
  }

  log(line: string): void {
    for (const c of this.clients) pushBounded(c.logs, line);
  }

  message(line: string): void {
    for (const c of this.clients) pushBounded(c.messages, line);
  }

  marking(mark: Json): void {
    for (const c of this.clients) pushBounded(c.markings, mark);
  }

  /** One 500 ms round: `current` to every authed client whose throttle allows it. */
  round(): void {
    const dirty = this.dirty;
    this.dirty = false;
    let snapshot: Json | null = null;
    for (const c of this.clients) {
      c.ticks++;
      if (c.user === null || !c.stateOn || c.ticks < c.throttle) continue;
      if (!dirty && c.temps.length === 0 && c.logs.length === 0 && c.messages.length === 0) continue;
      snapshot ??= this.source.snapshot();
      c.ticks = 0;
      this.send(c, { current: { ...snapshot, temps: c.temps, logs: c.logs, messages: c.messages, markings: c.markings, busyFiles: snapshot.busyFiles ?? [] } });
      c.temps = [];
      c.logs = [];
      c.messages = [];
      c.markings = [];
    }
    if (snapshot !== null) this.onCurrent?.(snapshot);
  }

  /** Sends frames that are not OctoPrint messages, for the "garbage" fault. */
  garbage(): void {
    for (const c of this.clients) {
      c.conn.write('{"current": {"state": tru');
      c.conn.write('not json at all \u0000\u0001');
      c.conn.write(JSON.stringify({ bogusType: { x: 1 } }));
      c.conn.write(JSON.stringify({ current: { state: 'nonsense' } }));
      c.conn.write(JSON.stringify([1, 2, 3]));
    }
  }

  /** Ends every socket (a restart or a dropped link). */
  closeAll(): void {
    for (const c of this.clients) c.conn.close();
    this.clients.clear();
  }

  /** The session a socket is bound to went away: tell it to re-authenticate. */
  reauthAll(reason: string): void {
    for (const c of this.clients) {
      if (c.user === null) continue;
      c.user = null;
      c.conn.write(JSON.stringify({ reauthRequired: { reason } }));
    }
  }

  private accept(conn: sockjs.Connection): void {
    const client: Client = { conn, user: null, throttle: 1, ticks: 0, stateOn: true, events: true, held: [], temps: [], logs: [], messages: [], markings: [] };
    this.clients.add(client);
    conn.on('close', () => this.clients.delete(client));
    conn.on('data', (text: string) => this.receive(client, text));
    conn.write(JSON.stringify({ connected: this.source.connectedPayload() }));
  }

  private receive(c: Client, text: string): void {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      return;
    }
    if (typeof message !== 'object' || message === null) return;
    const m = message as Json;
    if (typeof m.auth === 'string') {
      const user = this.accounts.checkSocketAuth(m.auth);
      if (user === null) {
        c.conn.write(JSON.stringify({ reauthRequired: { reason: 'stale' } }));
        return;
      }
      c.user = user;
      const held = c.held;
      c.held = [];
      if (c.stateOn) this.sendHistory(c);
      c.conn.write(JSON.stringify({ timelapse: null }));
      for (const frame of held) c.conn.write(frame);
      this.event('ClientAuthed', {});
    } else if (typeof m.throttle === 'number') {
      if (Number.isInteger(m.throttle) && m.throttle >= 1) c.throttle = m.throttle;
    } else if (typeof m.subscribe === 'object' && m.subscribe !== null) {
      const s = m.subscribe as Json;
      const wasOn = c.stateOn;
      c.stateOn = s.state === true || (typeof s.state === 'object' && s.state !== null);
      c.events = s.events === true ? true : Array.isArray(s.events) ? s.events.filter((e): e is string => typeof e === 'string') : false;
      if (c.stateOn && !wasOn && c.user !== null) this.sendHistory(c);
    }
  }

  private sendHistory(c: Client): void {
    const h = this.source.history();
    const snapshot = this.source.snapshot();
    delete snapshot.busyFiles;
    c.conn.write(JSON.stringify({ history: { ...snapshot, temps: h.temps, logs: h.logs, messages: h.messages, markings: h.markings } }));
    c.temps = [];
    c.logs = [];
    c.messages = [];
  }

  private send(c: Client, message: Json): void {
    const frame = JSON.stringify(message);
    if (c.user === null) {
      // Held back until a successful auth, like OctoPrint does (at most 100).
      if (c.held.length < MAX_HELD) c.held.push(frame);
      return;
    }
    this.framesSent++;
    c.conn.write(frame);
  }
}

function pushBounded<T>(list: T[], item: T): void {
  list.push(item);
  if (list.length > MAX_PENDING) list.splice(0, list.length - MAX_PENDING);
}
