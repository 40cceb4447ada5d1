import {
  decodeStatus,
  decodeV2Info,
  decodeV2Status,
  encodeV2Request,
  v2Fields,
  XyzV2Command,
  XyzV2ReplyParser,
  type XyzField,
  type XyzStatus,
} from '../protocol';
import { Listeners } from '../../../../shared/async';
import type { XyzByteTransport, XyzTransportError } from '../transport';
import { XyzCancelledError, XyzNoAnswerError, XyzRejectedError, type XyzBackend } from './backend';
import type { UploadSource } from './upload-source';
import { V2_TIMEOUTS, type V2Line, type V2Reply, type V2Timeouts } from './v2-line';
import { V2Uploader } from './v2-upload';

/** v2 replies carry no end marker: a reply is over once the line has been quiet this long. */
const V2_QUIET_MS = 300;
/** Polls between two identity (`XYZ_@3D:0`) queries. */
const V2_IDENTITY_EVERY = 12;

/**
 * The older `XYZ_@3D:` protocol over USB for the 1.0 / 2.0 families and the 1.1 Plus
 * on USB: identity, status and offline printing (`XYZ_@3D:4`, `M1:`, framed payload).
 *
 * Job control is not offered over v2: the spec's only candidates are G-code constants (`M84 P` /
 * `M84 R` / `M84`, tagged [S] unverified) taken from py-threedub, which defines them on its v3 Jr
 * class and never sends them, and no source says how a v2 printer would receive G-code during an
 * offline print (`XYZ_@3D:2` is documented only as "inject manual G-code until M84"). A bare
 * `M84` (motors off) sent on a guess mid-print could ruin the print, so pause / resume / cancel
 * stay unsupported and the capabilities say so; the printer's own panel still controls the job.
 */
export class V2Backend implements XyzBackend, V2Line {
  readonly protocol = 'v2' as const;
  readonly description: string;
  private readonly parser = new XyzV2ReplyParser();
  private collecting: V2Reply | null = null;
  private poke: (() => void) | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly lost = new Listeners<[XyzTransportError]>();
  private readonly unsubscribe: (() => void)[];
  private lostWith: XyzTransportError | null = null;
  private identity: XyzField[] | null = null;
  private polls = 1;

  constructor(
    private readonly transport: XyzByteTransport,
    private readonly timeouts: V2Timeouts = V2_TIMEOUTS,
  ) {
    this.description = `${transport.description} (XYZ_@3D v2)`;
    this.unsubscribe = [
      transport.onData((chunk) => {
        const lines = this.parser.feed(chunk);
        if (this.collecting) this.collecting.push(...lines);
        this.poke?.();
      }),
      transport.onClose((error) => {
        this.lostWith = error;
        if (error) this.lost.emit(error);
        this.poke?.();
      }),
    ];
  }

  get isOpen(): boolean {
    return this.transport.isOpen;
  }

  get closedBy(): XyzTransportError | null {
    return this.lostWith;
  }

  /** `XYZ_@3D:0`: is there a v2 printer at all? */
  async probe(): Promise<boolean> {
    return (await this.readIdentity()) !== null;
  }

  /** Stops listening to the transport without closing it (the caller tries another protocol on it). */
  detach(): void {
    for (const u of this.unsubscribe) u();
    this.lost.clear();
  }

  async status(base?: XyzStatus): Promise<XyzStatus> {
    // Identity does not change while the port is open: ask `:0` on the first poll and now and
    // then (a swapped printer), `:8` every time. Each v2 reply costs a quiet window to end.
    const polls = this.polls++;
    const identity = this.identity && polls % V2_IDENTITY_EVERY !== 0 ? this.identity : await this.readIdentity();
    if (!identity) throw new XyzNoAnswerError('The printer did not answer XYZ_@3D:0.', 'timeout');
    const reply = v2Fields(await this.exchange(XyzV2Command.status));
    if (reply.size === 0) throw new XyzNoAnswerError('The printer did not answer XYZ_@3D:8.', 'timeout');
    const s = decodeV2Status(reply);
    const fields: XyzField[] = [...identity];
    if (s.extruder1C !== null) fields.push({ key: 't', value: `1,${s.extruder1C},--` });
    if (s.bedC !== null) fields.push({ key: 'b', value: String(s.bedC) });
    // `PRN_STATE` (1.1 Plus) is the old two-digit state code the JSON protocol calls `j`. The 1.0 /
    // 2.0 families send only `MCH_STATE`; we read it as the same code, an assumption [G] the spec
    // cannot confirm.
    const state = s.printState ?? s.machineState;
    if (state !== null) fields.push({ key: 'j', value: String(state) });
    if (s.percent !== null) fields.push({ key: 'd', value: `${s.percent},${s.workTime ?? 0},${s.estimatedTime ?? 0}` });
    return decodeStatus(fields, base);
  }

  /** `XYZ_@3D:0` → the identity fields (model, serial, name, firmware, IP), or null without a model. */
  private async readIdentity(): Promise<XyzField[] | null> {
    const info = decodeV2Info(v2Fields(await this.exchange(XyzV2Command.info)));
    if (info.model === null) return null;
    const identity: XyzField[] = [{ key: 'p', value: info.model }];
    if (info.serial) identity.push({ key: 'i', value: info.serial });
    if (info.printerName) identity.push({ key: 'n', value: info.printerName });
    if (info.firmware) identity.push({ key: 'v', value: info.firmware });
    if (info.ip) identity.push({ key: '4', value: info.ip });
    this.identity = identity;
    return identity;
  }

  jobControl(): Promise<void> {
    return Promise.reject(new XyzRejectedError('Pause, resume and cancel are not available over the old XYZ_@3D protocol; use the printer’s panel.', false, 'unsupported'));
  }

  /** Offline print"): `XYZ_@3D:4` → `M1:` → frames with byte sums. */
  upload(source: UploadSource, onSent: (bytes: number) => void, signal: AbortSignal): Promise<void> {
    return this.exclusive(async () => {
      if (signal.aborted) throw new XyzCancelledError();
      await new V2Uploader(this, this.timeouts).run(source, onSent, signal);
    });
  }

  action(): Promise<void> {
    return Promise.reject(new XyzRejectedError('Maintenance actions are not available over the old XYZ_@3D protocol.', false, 'unsupported'));
  }

  snapshot(): Promise<Uint8Array> {
    return Promise.reject(new XyzRejectedError('This printer has no camera on USB.', false, 'no-camera'));
  }

  close(): Promise<void> {
    return this.transport.close();
  }

  onLost(listener: (error: XyzTransportError) => void): () => void {
    return this.lost.add(listener);
  }

  // --- V2Line, used inside `exclusive` ---

  write(bytes: Uint8Array): Promise<void> {
    return this.transport.write(bytes);
  }

  listen(): V2Reply {
    const lines: V2Reply = [];
    this.collecting = lines;
    return lines;
  }

  nudge(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, Math.max(0, ms));
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.poke = done;
    });
  }

  /** Runs `fn` with the line to itself: polls and uploads never interleave. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      try {
        return await fn();
      } finally {
        this.collecting = null;
        this.poke = null;
      }
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private exchange(command: number): Promise<V2Reply> {
    return this.exclusive(async () => {
      const lines = this.listen();
      await this.write(encodeV2Request(command));
      const deadline = Date.now() + this.timeouts.replyMs;
      let seen = 0;
      let quietSince = Date.now();
      while (Date.now() < deadline && this.transport.isOpen) {
        await this.nudge(50);
        if (lines.length !== seen) {
          seen = lines.length;
          quietSince = Date.now();
        } else if (seen > 0 && Date.now() - quietSince >= V2_QUIET_MS) break;
      }
      return lines;
    });
  }
}
