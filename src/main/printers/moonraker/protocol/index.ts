export * from './address';
export * from './errors';
export * from './gcode';
export * from './jsonrpc';
export * from './printer-objects';
export * from './schemas';
export * from './state-mapping';
export * from './past-jobs';
