/** The da Vinci driver: codecs + transports joined by a small state machine (see xyz-driver.ts). */
export { XyzDriver, type XyzDriverDeps } from './xyz-driver';
export { parseXyzAddress, XYZ_TCP_PORT, type XyzAddress } from './address';
export { DEFAULT_TIMINGS, readSettings, type XyzDriverTimings } from './options';
export { V3_TIMEOUTS, type V3Timeouts } from './v3-backend';
export { printerFileName } from './upload-source';
