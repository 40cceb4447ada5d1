/**
 * da Vinci protocol codecs — pure and sans-I/O. Host side (driver) and printer side (simulator,
 * files named `printer-*`) are exported from here; see each file for the spec section it follows.
 */

// Shared
export * from './bytes';
export * from './crc32';
export * from './protocol-error';
export * from './timeouts';
export type { XyzLink } from './transport';

// v3 text protocol — host side
export * from './request';
export * from './commands';
export * from './reply-events';
export { classifyReplyLine } from './reply-line';
export * from './reply-parser';
export * from './reply-collector';
export * from './states';
export * from './errors';
export * from './status-types';
export * from './status';
export * from './device-fields';
export * from './upload-frames';

// v2 `XYZ_@3D:` protocol — host side
export * from './v2';
export * from './v2-replies';
export { BoundedLineSplitter } from './line-splitter';

// 1.1 Plus JSON protocol — host side
export * from './json-protocol';
export * from './json-decoder';
export * from './json-status';
export * from './camera-stream';

// Printer side (simulator)
export * from './upload-decoder';
export * from './status-encode';
export * from './printer-requests';
export * from './printer-replies';
export * from './printer-v2';
export * from './printer-json';
