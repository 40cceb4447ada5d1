import { randomBytes } from 'node:crypto';
import { status, type ServerDuplexStream } from '@grpc/grpc-js';
import type { E2eeAddress } from '../../src/main/gen/skissm/common';
import type { ProtoMsg } from '../../src/main/gen/skissm/proto_msg';
import type { SandboxMeter } from './sandbox-meter';
import type { SandboxSigner } from './sandbox-signer';
import type { DeviceRecord, SandboxState } from './sandbox-state';

/** Delivery faults, on top of the generic gRPC ones (slow calls, UNAVAILABLE bursts, restart). */
export interface DeliveryFaults {
  /** Every ProtoMsg is written twice. */
  duplicate: boolean;
  /** Messages are held briefly and written newest first. */
  reorder: boolean;
  /**
   * The next N AddGroupMembers/RemoveGroupMembers calls are carried out but answered UNAVAILABLE, as when
   * the answer is lost on the way back: the client must cope with a change it was not told succeeded.
   */
  lostGroupAnswers?: number;
}

type Stream = ServerDuplexStream<ProtoMsg, ProtoMsg>;

/** How long a batch gathers during a burst, and the most messages one signature covers. */
const BURST_WINDOW_MS = 5;
const MAX_BATCH = 256;

/**
 * Routes signed ProtoMsgs to devices: each goes into the device's offline queue and, when the device has an
 * open Communicate stream, is written to it. A message leaves the queue only on ConsumeProtoMsg, so anything
 * unacknowledged is written again on the next connection.
 */
export class SandboxDelivery {
  readonly faults: DeliveryFaults = { duplicate: false, reorder: false };
  private readonly streams = new Map<string, Set<Stream>>();
  private readonly held = new Map<string, ProtoMsg[]>();
  /** Tagged messages waiting for the next batch signature, in enqueue order. */
  private unsigned: { userId: string; device: DeviceRecord; msg: ProtoMsg }[] = [];
  /**
   * Sign once per batch (the default) rather than once per message. Everything enqueued while the event loop
   * is busy (e.g. a burst of SendOne2OneMsg calls) shares one signature; a lone message is signed alone.
   */
  batchSignatures = true;
  /**
   * When the last batch was signed and how big it was: a message soon after a batch of several is part of a
   * burst, which gathers a little longer. A message after a lone one (a key agreement's ping-pong) does not wait.
   */
  private lastFlushAt = 0;
  private lastBatchSize = 0;

  constructor(
    private readonly state: SandboxState,
    private readonly signer: SandboxSigner,
    private readonly meter: SandboxMeter,
  ) {}

  private static key(userId: string, deviceId: string): string {
    return `${userId}/${deviceId}`;
  }

  /** Tags, signs, queues and (if online) writes a message to one device (signing and writing at the end of this turn). */
  enqueue(userId: string, device: DeviceRecord, msg: Omit<ProtoMsg, 'tag' | 'signatureList'>): void {
    const tagged: ProtoMsg = { ...msg, tag: { protoMsgT: String(Date.now()), protoMsgId: randomBytes(12).toString('base64url') }, signatureList: [] };
    if (!this.batchSignatures) {
      this.place(userId, device, this.signer.signProtoMsg(tagged));
      return;
    }
    this.unsigned.push({ userId, device, msg: tagged });
    if (this.unsigned.length >= MAX_BATCH) this.flush();
    else if (this.unsigned.length === 1) {
      // A lone message goes out at the end of this turn; during a burst a batch waits up to BURST_WINDOW_MS,
      // so one ML-DSA signature covers many messages instead of the few that arrive in one turn.
      const inBurst = this.lastBatchSize > 1 && performance.now() - this.lastFlushAt <= BURST_WINDOW_MS;
      if (!inBurst) setImmediate(() => this.flush());
      else setTimeout(() => this.flush(), BURST_WINDOW_MS);
    }
  }

  /** Signs everything waiting with one signature and hands it on in order. */
  flush(): void {
    const batch = this.unsigned;
    this.unsigned = [];
    if (batch.length === 0) return;
    this.lastFlushAt = performance.now();
    this.lastBatchSize = batch.length;
    this.meter.measure(() => {
      const signed = this.signer.signProtoMsgs(batch.map((b) => b.msg));
      batch.forEach((b, i) => this.place(b.userId, b.device, signed[i]!));
    });
  }

  private place(userId: string, device: DeviceRecord, signed: ProtoMsg): void {
    device.queue.push(signed);
    this.state.scheduleSave();
    this.write(userId, device.deviceId, [signed]);
  }

  /** Every device of a user, optionally skipping one (the sender's own device). */
  enqueueToUser(userId: string, msg: (to: E2eeAddress) => Omit<ProtoMsg, 'tag' | 'signatureList' | 'to'>, skipDeviceId?: string): void {
    const user = this.state.users.get(userId);
    if (!user) return;
    for (const device of user.devices.values()) {
      if (device.deviceId === skipDeviceId) continue;
      const to: E2eeAddress = { domain: this.state.domain, peer: { $case: 'user', value: { userName: '', userId, deviceId: device.deviceId } } };
      this.enqueue(userId, device, { ...msg(to), to });
    }
  }

  consume(device: DeviceRecord, protoMsgId: string): boolean {
    const index = device.queue.findIndex((m) => m.tag?.protoMsgId === protoMsgId);
    if (index < 0) return false;
    device.queue.splice(index, 1);
    this.state.scheduleSave();
    return true;
  }

  attach(userId: string, device: DeviceRecord, stream: Stream): void {
    // Messages still waiting for their signature join the queue first, so the redelivery below is complete.
    this.flush();
    const key = SandboxDelivery.key(userId, device.deviceId);
    let set = this.streams.get(key);
    if (!set) this.streams.set(key, (set = new Set()));
    set.add(stream);
    const detach = (): void => {
      set.delete(stream);
    };
    stream.on('close', detach);
    stream.on('error', detach);
    stream.on('cancelled', detach);
    // Everything not yet consumed, in order (redelivery after a cut or restart).
    this.write(userId, device.deviceId, [...device.queue], stream);
  }

  /** Heartbeats need no consume: written to every open stream, never queued. */
  heartbeat(hostname: string): void {
    const msg = this.signer.signProtoMsg({
      tag: undefined,
      from: undefined,
      to: undefined,
      payload: { $case: 'serverHeartbeatMsg', value: { hostname, serverT: String(Date.now()) } },
      signatureList: [],
    });
    for (const set of this.streams.values()) for (const stream of set) stream.write(msg);
  }

  resend(userId: string, device: DeviceRecord, stream: Stream): void {
    this.flush();
    this.write(userId, device.deviceId, [...device.queue], stream);
  }

  /** Ends every open stream as a dropped connection would (the fault "stream cut"). */
  cutStreams(): number {
    let count = 0;
    for (const set of this.streams.values()) {
      for (const stream of set) {
        count += 1;
        stream.destroy(Object.assign(new Error('sandbox: stream cut'), { code: status.UNAVAILABLE }));
      }
      set.clear();
    }
    return count;
  }

  openStreams(): number {
    let count = 0;
    for (const set of this.streams.values()) count += set.size;
    return count;
  }

  private write(userId: string, deviceId: string, messages: ProtoMsg[], only?: Stream): void {
    if (messages.length === 0) return;
    const key = SandboxDelivery.key(userId, deviceId);
    if (this.faults.reorder && !only) {
      const held = this.held.get(key) ?? [];
      const first = held.length === 0;
      held.push(...messages);
      this.held.set(key, held);
      if (first) {
        setTimeout(() => {
          const batch = this.held.get(key) ?? [];
          this.held.delete(key);
          this.writeNow(key, batch.reverse());
        }, 60).unref();
      }
      return;
    }
    this.writeNow(key, this.faults.reorder ? [...messages].reverse() : messages, only);
  }

  private writeNow(key: string, messages: ProtoMsg[], only?: Stream): void {
    const targets = only ? [only] : [...(this.streams.get(key) ?? [])];
    for (const stream of targets) {
      for (const msg of messages) {
        stream.write(msg);
        if (this.faults.duplicate) stream.write(msg);
      }
    }
  }
}
