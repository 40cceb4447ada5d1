/**
 * Where things are on a Moonraker server. The connection address is `http://host:7125` (talking
 * to Moonraker directly avoids the nginx body-size and timeout limits of Mainsail/Fluidd setups)
 * or a proxy origin such as `http://voron.local` with Moonraker's paths under it.
 */

export const MOONRAKER_PORT = 7125;

/** The base URL without a trailing slash. The address is already normalised (scheme present). */
export function baseUrlOf(address: string): string {
  return address.trim().replace(/\/+$/, '');
}

/** `ws(s)://…/websocket` under the same base (keeps a proxy path prefix). */
export function websocketUrlOf(baseUrl: string): string {
  const url = new URL(`${baseUrl}/websocket`);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.href;
}

/**
 * A webcam URL from `server.webcams.list` as something this machine can fetch. Absolute URLs are
 * kept; host-relative ones (`/webcam/?action=snapshot`) are served by the web server in front
 * of Moonraker, not by Moonraker: with a direct `:7125` address they resolve against the same
 * host on its default port, otherwise against the address's own origin. Empty or non-http
 * URLs give null.
 */
export function resolveWebcamUrl(candidate: string, baseUrl: string): string | null {
  const trimmed = candidate.trim();
  if (trimmed === '') return null;
  let origin: URL;
  try {
    origin = new URL(`${baseUrl}/`);
  } catch {
    return null;
  }
  if (origin.port === String(MOONRAKER_PORT)) origin.port = '';
  try {
    const url = new URL(trimmed, origin);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}
