import { status, type ServiceError } from '@grpc/grpc-js';

export function isServiceError(err: unknown): err is ServiceError {
  return err instanceof Error && typeof (err as Partial<ServiceError>).code === 'number';
}

/** What a domain reads of a failed call to build its own error. */
export interface GrpcFailure {
  code: number;
  /** The status name (`UNAVAILABLE`), or the number when grpc-js does not know it. */
  name: string;
  /** The server's words (details, else the message), cut to `maxDetails`. */
  details: string;
  /** Trailing metadata values under a key prefix (e.g. `imss-`), each cut to 200 characters. */
  trailers(prefix: string): Record<string, string>;
}

export function grpcFailure(err: ServiceError, maxDetails = 300, fallback = ''): GrpcFailure {
  return {
    code: err.code,
    name: status[err.code] ?? String(err.code),
    details: (err.details || err.message || fallback).slice(0, maxDetails),
    trailers(prefix) {
      const out: Record<string, string> = {};
      for (const [key, value] of Object.entries(err.metadata?.getMap() ?? {})) {
        if (key.startsWith(prefix) && typeof value === 'string') out[key] = value.slice(0, 200);
      }
      return out;
    },
  };
}

/** A domain's mapping table: status code → its own kind of failure. */
export type StatusTable<K> = Partial<Record<status, K>>;

export function byStatus<K>(code: number, table: StatusTable<K>, otherwise: K): K {
  return (table as Partial<Record<number, K>>)[code] ?? otherwise;
}
