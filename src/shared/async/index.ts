/** Async building blocks shared by main and the renderer (no Node imports: the browser uses them too). */
export * from './backoff';
export * from './listeners';
export * from './poller';
export * from './pump';
export * from './single-flight';
export * from './throttle';
