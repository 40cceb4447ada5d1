import type { V2Endpoint } from './v2-endpoint';
import type { V3Endpoint } from './v3-endpoint';

/** One simulated USB port's printer side. */
export interface UsbEndpoint {
  readonly uploading: boolean;
  receive(chunk: Uint8Array): void;
  close(): void;
}

const V3_PREFIX = 'XYZv3/';

function startsWithV3(chunk: Uint8Array): boolean {
  if (chunk.length < V3_PREFIX.length) return false;
  for (let i = 0; i < V3_PREFIX.length; i++) if (chunk[i] !== V3_PREFIX.charCodeAt(i)) return false;
  return true;
}

/**
 * The 1.1 Plus on USB answers both protocols: an upload in progress keeps its
 * bytes; otherwise each USB write goes by its prefix (`XYZv3/` or everything else to v2).
 */
export class UsbRouter implements UsbEndpoint {
  constructor(
    private readonly v3: V3Endpoint,
    private readonly v2: V2Endpoint,
  ) {}

  get uploading(): boolean {
    return this.v3.uploading || this.v2.uploading;
  }

  receive(chunk: Uint8Array): void {
    if (this.v2.uploading) this.v2.receive(chunk);
    else if (this.v3.uploading || startsWithV3(chunk)) this.v3.receive(chunk);
    else this.v2.receive(chunk);
  }

  close(): void {
    this.v3.close();
    this.v2.close();
  }
}
