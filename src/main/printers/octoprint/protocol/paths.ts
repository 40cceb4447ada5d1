import type { FileOrigin } from './schemas/files';

/**
 * REST paths of the 1.x API. Path segments are URL-encoded one by one, so "/" keeps separating
 * folders while spaces and "#", "?" in names cannot break the URL ("acceptance%20test.gcode").
 */

export const API = {
  version: '/api/version',
  server: '/api/server',
  currentUser: '/api/currentuser',
  login: '/api/login',
  connection: '/api/connection',
  printer: '/api/printer',
  printerTool: '/api/printer/tool',
  printerBed: '/api/printer/bed',
  printerChamber: '/api/printer/chamber',
  printhead: '/api/printer/printhead',
  gcode: '/api/printer/command',
  sd: '/api/printer/sd',
  job: '/api/job',
  files: '/api/files',
  settings: '/api/settings',
  appKeysProbe: '/plugin/appkeys/probe',
  appKeysRequest: '/plugin/appkeys/request',
} as const;

export function encodeFilePath(path: string): string {
  const segments = path.split('/').filter((segment) => segment !== '');
  if (segments.some((segment) => segment === '.' || segment === '..')) {
    throw new RangeError('file paths may not contain "." or ".." segments');
  }
  return segments.map(encodeURIComponent).join('/');
}

/** `/api/files/<origin>` (list or upload target). */
export function storagePath(origin: FileOrigin): string {
  return `${API.files}/${origin}`;
}

/** `/api/files/<origin>/<path>` (info, select, delete). */
export function fileResourcePath(origin: FileOrigin, path: string): string {
  const encoded = encodeFilePath(path);
  if (encoded === '') throw new RangeError('empty file path');
  return `${storagePath(origin)}/${encoded}`;
}
