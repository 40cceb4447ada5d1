/**
 * The one gRPC client layer under the Armory, Skiserver and IMSS clients: addresses and TLS, auth
 * metadata, deadlines, retries, and the status facts each domain maps to its own errors.
 */
export * from './address';
export * from './call';
export * from './status';
