import { actionRequest, configRequest, type XyzRequest } from './request';
import { XyzProtocolError } from './protocol-error';

/**
 * Ready-made config and action commands that Printdeck sends. Brackets are
 * literal protocol text. The spec lists more that nothing here sends (auto-level, buzzer, language,
 * restore defaults, disconnect AP, engrave, energy, life, the filament unlock sequence, clean
 * nozzle, z-offset up/down): add a builder with the feature that needs it.
 */

export type XyzJobControl = 'pause' | 'resume' | 'cancel' | 'complete';

export const configJob = (control: XyzJobControl): XyzRequest => configRequest(`print[${control}]`);
export const configTagInfo = (): XyzRequest => configRequest('taginfo');
export const configSignature = (): XyzRequest => configRequest('signature:[get]');
export const configUid = (): XyzRequest => configRequest('uid');
export const configZOffsetGet = (): XyzRequest => configRequest('zoffset:get');

function integer(what: string, n: number): number {
  if (!Number.isSafeInteger(n)) throw new XyzProtocolError('invalid-argument', `${what} must be an integer`);
  return n;
}

function bracketText(what: string, text: string): string {
  // `]` and `,` are the format's own delimiters; the firmware has no escaping.
  if (/[\],]/.test(text)) throw new XyzProtocolError('invalid-argument', `${what} must not contain "]" or ","`);
  return text;
}

export const configName = (name: string): XyzRequest => configRequest(`name:[${bracketText('name', name)}]`);
/** Z offset in 1/100 mm; note there is no `:` before `[`. */
export const configZOffsetSet = (hundredthsMm: number): XyzRequest =>
  configRequest(`zoffset:set[${integer('z offset', hundredthsMm)}]`);
export const configSsid = (ssid: string, password: string, channel: number): XyzRequest =>
  configRequest(
    `ssid:[${bracketText('ssid', ssid)},${bracketText('password', password)},${integer('channel', channel)}]`,
  );

export type XyzAxis = 'x' | 'y' | 'z';

export const actionHome = (): XyzRequest => actionRequest('home');
export const actionJog = (axis: XyzAxis, direction: '+' | '-', lengthMm: number): XyzRequest => {
  if (!Number.isSafeInteger(lengthMm) || lengthMm <= 0) {
    throw new XyzProtocolError('invalid-argument', 'jog length must be a positive integer (mm)');
  }
  return actionRequest(`jog:${JSON.stringify({ axis, dir: direction, len: String(lengthMm) })}`);
};
export const actionLoadFilament = (step: 'new' | 'cancel' | 'retry'): XyzRequest => actionRequest(`load:${step}`);
export const actionUnloadFilament = (step: 'new' | 'cancel' | 'retry'): XyzRequest => actionRequest(`unload:${step}`);
export const actionCalibrate = (step: 'new' | 'detectorok' | 'release' | 'getdata'): XyzRequest =>
  actionRequest(`calibratejr:${step}`);
