import { Poller } from '../../../shared/async';
import type { Logger } from '../../log';
import { isKeyInvalid } from './octoprint-api';

/** Every 90 s while the push socket is up: ≈ 40 requests an hour, and a revoked key noticed within 2 minutes. */
export const KEY_CHECK_INTERVAL_MS = 90_000;

/**
 * OctoPrint ties the push socket to the login session, not to the API key: a key revoked in
 * OctoPrint leaves the socket running and every status still arriving [verified on 1.11.8: 60 s
 * after revocation, 101 status events and nothing else]. Only a REST call with the key finds out,
 * so while the socket is up this makes one cheap authenticated GET every interval. A refused key
 * is reported once; any other failure is the push session's business (it sees the link go).
 */
export class KeyWatch {
  private readonly poller: Poller;

  constructor(
    /** One authenticated GET; rejects with the OctoPrint error when it fails. */
    check: () => Promise<unknown>,
    private readonly intervalMs: number,
    onRefused: () => void,
    log: Logger,
  ) {
    this.poller = new Poller({
      poll: async () => {
        try {
          await check();
        } catch (err) {
          if (isKeyInvalid(err)) {
            this.poller.stop();
            onRefused();
          } else log.debug(`key check failed: ${err instanceof Error ? err.message : String(err)}`);
        }
      },
      next: () => this.intervalMs,
      unref: true,
    });
  }

  /** The socket is up: check every interval from now on (a running watch keeps its schedule). */
  start(): void {
    if (this.poller.running) return;
    this.poller.start();
    this.poller.schedule(this.intervalMs);
  }

  stop(): void {
    this.poller.stop();
  }
}
