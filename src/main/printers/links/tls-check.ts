import http from 'node:http';

/**
 * `https://` typed for a port that speaks plain HTTP. Tornado (OctoPrint's and Moonraker's server) takes the TLS ClientHello
 * for the start of an HTTP header and waits for the rest, so the request would sit until its
 * deadline and then say only "did not answer". A handshake that does not finish within a few
 * seconds is instead checked with one plain-HTTP request to the same port, so the error can say what
 * is wrong and how to fix it.
 */

/** A TLS handshake on a LAN takes milliseconds; a few seconds is generous even for a Pi under load. */
export const TLS_HANDSHAKE_MS = 4_000;
const PLAIN_PROBE_MS = 3_000;

export function plainHttpHint(server: string): string {
  return `${server} speaks plain HTTP on this port, not HTTPS: use http:// instead of https:// in the address.`;
}

export function noTlsHint(server: string): string {
  return `${server} did not complete a TLS handshake: is this port really HTTPS? If it serves plain HTTP, use http://.`;
}

/** OpenSSL's words when the other side answered a ClientHello with something that is not TLS. */
export function isNotTlsError(err: Error & { code?: string }): boolean {
  return /wrong version number|packet length too long|http request|unknown protocol/i.test(err.message) || err.code === 'ERR_SSL_WRONG_VERSION_NUMBER';
}

/** Whether `host:port` of an https URL answers a plain HTTP request (any status). */
export function answersPlainHttp(url: URL): Promise<boolean> {
  return new Promise((resolve) => {
    const plain = new URL(url.href);
    plain.protocol = 'http:';
    plain.pathname = '/';
    plain.search = '';
    const req = http.request(plain, { method: 'HEAD', agent: false, timeout: PLAIN_PROBE_MS }, (res) => {
      res.resume();
      resolve(true);
      req.destroy();
    });
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
    req.on('error', () => resolve(false));
    req.end();
  });
}
