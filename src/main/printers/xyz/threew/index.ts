/** Public API of the XYZprinting `.3w` codec (pure: bytes in, bytes out). */
export { encodeThreeW } from './encode';
export { decodeThreeW } from './decode';
export { inspectThreeW } from './inspect';
export { ThreeWError } from './errors';
export type { ThreeWErrorCode } from './errors';
export { REQUIRED_HEADER_KEYS } from './header-keys';
export type { RequiredHeaderKey } from './header-keys';
export type { PaddingState } from './padding';
export type { HeaderValueOverrides } from './prepare-gcode';
export type { ThreeWTag } from './layout';
export type { DecodedThreeW, DecodeThreeWOptions, EncodeThreeWOptions, ThreeWContainer, ThreeWInfo } from './types';
