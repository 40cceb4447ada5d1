import type { SettingsResponse } from './schemas/settings';

export interface WebcamUrls {
  stream: string | null;
  snapshot: string | null;
}

function isLoopbackHost(hostname: string): boolean {
  return (
    hostname === 'localhost' ||
    hostname === '[::1]' ||
    hostname === '0.0.0.0' ||
    /^127\./.test(hostname)
  );
}

/** Resolves a configured URL against the OctoPrint base; only http(s) results are kept. */
function resolveWebUrl(candidate: string | null | undefined, baseUrl: string): URL | null {
  const trimmed = candidate?.trim() ?? '';
  if (trimmed === '') return null;
  try {
    const url = new URL(trimmed, `${baseUrl.replace(/\/+$/, '')}/`);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
  } catch {
    return null;
  }
}

/**
 * Where to fetch the webcam from this machine. OctoPrint has no snapshot endpoint of its own:
 * the stream URL (often relative, "/webcam/?action=stream" on OctoPi) is resolved against the
 * base URL, and the snapshot is derived from it by swapping `action=stream` for
 * `action=snapshot`. A configured snapshot URL is used only when it is reachable from here —
 * OctoPi's default "http://127.0.0.1:8080/?action=snapshot" is a server-side address.
 */
export function webcamUrls(settings: SettingsResponse, baseUrl: string): WebcamUrls {
  const base = resolveWebUrl(baseUrl, baseUrl);
  const plugin = settings.plugins?.classicwebcam;
  const webcam = settings.webcam;
  if (webcam?.webcamEnabled === false) return { stream: null, snapshot: null };

  // Since 1.9 the plugin settings are authoritative; the `webcam` fields are compatibility copies.
  const stream =
    resolveWebUrl(plugin?.stream, baseUrl) ?? resolveWebUrl(webcam?.streamUrl, baseUrl);
  const configuredSnapshot =
    resolveWebUrl(plugin?.snapshot, baseUrl) ?? resolveWebUrl(webcam?.snapshotUrl, baseUrl);

  const baseIsLoopback = base !== null && isLoopbackHost(base.hostname);
  let snapshot: URL | null = null;
  if (
    configuredSnapshot !== null &&
    (baseIsLoopback || !isLoopbackHost(configuredSnapshot.hostname))
  ) {
    snapshot = configuredSnapshot;
  } else if (stream !== null && stream.searchParams.get('action') === 'stream') {
    snapshot = new URL(stream.href);
    snapshot.searchParams.set('action', 'snapshot');
  }
  return { stream: stream?.href ?? null, snapshot: snapshot?.href ?? null };
}
