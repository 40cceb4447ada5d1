import os from 'node:os';
import path from 'node:path';

/** Where the headless host keeps its database and key when `--data-dir` is not given (XDG on Linux). */
export function defaultDataDir(): string {
  if (process.platform === 'win32') return path.join(process.env.APPDATA ?? os.homedir(), 'Printdeck', 'host');
  if (process.platform === 'darwin') return path.join(os.homedir(), 'Library', 'Application Support', 'Printdeck', 'host');
  const base = process.env.XDG_DATA_HOME || path.join(os.homedir(), '.local', 'share');
  return path.join(base, 'printdeck', 'host');
}
