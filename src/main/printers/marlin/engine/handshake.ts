import { frameLine } from '../protocol/framing';

export interface HandshakeOptions {
  /** Hello repeated this often while nothing answers. */
  helloIntervalMs?: number;
  /** Hellos before giving up on this port and baud rate. */
  attempts?: number;
  /** After `start`, the banner is over once the firmware has been quiet this long. */
  bannerQuietMs?: number;
  /** After the first `ok`, stray oks of repeated hellos are let through for this long. */
  settleMs?: number;
  /**
   * For boards known to reset when the port opens (a USB-UART bridge): wait this long for `start`
   * before the first hello, so nothing reaches the bootloader. 0 = speak at once.
   */
  startWaitMs?: number;
}

/** `N0 M110 N0*125`: resets the line numbers and is answered with `ok` by any Marlin. */
export const HELLO = `${frameLine(0, 'M110 N0')}\n`;

/**
 * Opening a serial port, without I/O. The host speaks first — native-USB boards (STM32 CDC) do
 * not reset on open and print nothing — and repeats its hello. Boards behind a USB-UART bridge
 * reset when the port opens (DTR): the bootloader swallows what arrives for a second or two, then
 * Marlin prints `start` and its banner, after which the hello is sent again. Success is an `ok`;
 * the oks of hellos that did arrive are let pass before streaming begins, so none of them is taken
 * for the acknowledgement of a later line.
 */
export class Handshake {
  private state: 'waiting' | 'hello' | 'booting' | 'settling' | 'ok' | 'failed' = 'hello';
  private deadline = 0;
  private sent = 0;
  /** The board announced a (re)boot during the handshake. */
  booted = false;
  /** Lines that looked like a firmware talking (any text), for the failure message. */
  heardLines = 0;
  private readonly o: Required<HandshakeOptions>;

  constructor(options: HandshakeOptions = {}) {
    this.o = {
      helloIntervalMs: options.helloIntervalMs ?? 2_000,
      attempts: options.attempts ?? 3,
      bannerQuietMs: options.bannerQuietMs ?? 300,
      settleMs: options.settleMs ?? 250,
      startWaitMs: options.startWaitMs ?? 0,
    };
  }

  get result(): 'pending' | 'ok' | 'failed' {
    return this.state === 'ok' ? 'ok' : this.state === 'failed' ? 'failed' : 'pending';
  }

  /** What to write first ('' while waiting for the banner of a board that resets on open). */
  start(now: number): string {
    if (this.o.startWaitMs <= 0) return this.hello(now);
    this.state = 'waiting';
    this.deadline = now + this.o.startWaitMs;
    return '';
  }

  line(raw: string, now: number): string {
    const text = raw.trim();
    this.heardLines++;
    if (text === 'start') {
      this.booted = true;
      this.state = 'booting';
      this.deadline = now + this.o.bannerQuietMs;
      return '';
    }
    if (this.state === 'booting') this.deadline = now + this.o.bannerQuietMs;
    else if (/^ok\b/i.test(text) && (this.state === 'hello' || this.state === 'settling')) {
      this.state = 'settling';
      this.deadline = now + this.o.settleMs;
    }
    return '';
  }

  tick(now: number): string {
    if (now < this.deadline) return '';
    switch (this.state) {
      case 'waiting':
      case 'booting':
        this.sent = 0;
        return this.hello(now);
      case 'hello':
        if (this.sent >= this.o.attempts) {
          this.state = 'failed';
          return '';
        }
        return this.hello(now);
      case 'settling':
        this.state = 'ok';
        return '';
      default:
        return '';
    }
  }

  private hello(now: number): string {
    this.state = 'hello';
    this.sent++;
    this.deadline = now + this.o.helloIntervalMs;
    return HELLO;
  }
}
