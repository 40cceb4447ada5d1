export * from './firmware-info';
export * from './framing';
export * from './line-splitter';
export * from './replies';
export * from './sd-card';
export * from './temperatures';
