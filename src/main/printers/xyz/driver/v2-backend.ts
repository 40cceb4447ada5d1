import {
  decodeStatus,
  decodeV2Info,
  decodeV2Status,
  encodeV2Request,
  v2Fields,
  XYZ_DEFAULT_REPLY_TIMEOUT_MS,
  XyzV2Command,
  XyzV2ReplyParser,
  type XyzField,
  type XyzStatus,
  type XyzV2Line,
} from '../protocol';
import { Listeners, type XyzByteTransport, type XyzTransportError } from '../transport';
import { XyzNoAnswerError, XyzRejectedError, type XyzBackend } from './backend';

/** v2 replies carry no end marker: a reply is over once the line has been quiet this long. */
const V2_QUIET_MS = 300;

type V2Reply = (XyzV2Line | { kind: 'overflow' })[];

/**
 * The older `XYZ_@3D:` protocol over USB (spec §3A) for the 1.0 / 2.0 families, reached when a
 * printer does not answer `XYZv3/query=a`. It reports identity and status; sending files over v2
 * is not offered (capabilities say so).
 */
export class V2Backend implements XyzBackend {
  readonly protocol = 'v2' as const;
  readonly description: string;
  private readonly parser = new XyzV2ReplyParser();
  private collecting: V2Reply | null = null;
  private poke: (() => void) | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly lost = new Listeners<[XyzTransportError]>();

  constructor(
    private readonly transport: XyzByteTransport,
    private readonly timeoutMs = XYZ_DEFAULT_REPLY_TIMEOUT_MS,
  ) {
    this.description = `${transport.description} (XYZ_@3D v2)`;
    transport.onData((chunk) => {
      const lines = this.parser.feed(chunk);
      if (this.collecting) this.collecting.push(...lines);
      this.poke?.();
    });
    transport.onClose((error) => {
      if (error) this.lost.emit(error);
      this.poke?.();
    });
  }

  /** `XYZ_@3D:0`: is there a v2 printer at all? Returns its info fields, or null. */
  async probe(): Promise<boolean> {
    const reply = await this.exchange(XyzV2Command.info);
    return decodeV2Info(v2Fields(reply)).model !== null;
  }

  async status(base?: XyzStatus): Promise<XyzStatus> {
    const info = decodeV2Info(v2Fields(await this.exchange(XyzV2Command.info)));
    if (info.model === null) throw new XyzNoAnswerError('The printer did not answer XYZ_@3D:0.', 'timeout');
    const s = decodeV2Status(v2Fields(await this.exchange(XyzV2Command.status)));
    const fields: XyzField[] = [{ key: 'p', value: info.model }];
    if (info.serial) fields.push({ key: 'i', value: info.serial });
    if (info.printerName) fields.push({ key: 'n', value: info.printerName });
    if (info.firmware) fields.push({ key: 'v', value: info.firmware });
    if (info.ip) fields.push({ key: '4', value: info.ip });
    if (s.extruder1C !== null) fields.push({ key: 't', value: `1,${s.extruder1C},--` });
    if (s.bedC !== null) fields.push({ key: 'b', value: String(s.bedC) });
    if (s.printState !== null) fields.push({ key: 'j', value: String(s.printState) });
    if (s.percent !== null) fields.push({ key: 'd', value: `${s.percent},${s.workTime ?? 0},${s.estimatedTime ?? 0}` });
    return decodeStatus(fields, base);
  }

  jobControl(): Promise<void> {
    return Promise.reject(new XyzRejectedError('Job control over the old XYZ_@3D protocol is not supported.', false, 'unsupported'));
  }
  upload(): Promise<void> {
    return Promise.reject(new XyzRejectedError('Sending files over the old XYZ_@3D protocol is not supported.', false, 'unsupported'));
  }
  action(): Promise<void> {
    return this.jobControl();
  }
  snapshot(): Promise<Uint8Array> {
    return this.jobControl().then(() => new Uint8Array(0));
  }

  close(): Promise<void> {
    return this.transport.close();
  }

  onLost(listener: (error: XyzTransportError) => void): () => void {
    return this.lost.add(listener);
  }

  private exchange(command: number): Promise<V2Reply> {
    const run = async (): Promise<V2Reply> => {
      const lines: V2Reply = [];
      this.collecting = lines;
      try {
        await this.transport.write(encodeV2Request(command));
        const deadline = Date.now() + this.timeoutMs;
        let seen = 0;
        let quietSince = Date.now();
        while (Date.now() < deadline && this.transport.isOpen) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, 50);
            this.poke = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          if (lines.length !== seen) {
            seen = lines.length;
            quietSince = Date.now();
          } else if (seen > 0 && Date.now() - quietSince >= V2_QUIET_MS) break;
        }
        return lines;
      } finally {
        this.collecting = null;
        this.poke = null;
      }
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }
}
