/** A tiny levelled logger; main writes to stderr so stdout stays for the CLI's own output. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(msg: string, extra?: unknown): void;
  info(msg: string, extra?: unknown): void;
  warn(msg: string, extra?: unknown): void;
  error(msg: string, extra?: unknown): void;
  child(scope: string): Logger;
}

// Set once from the environment (PRINTDECK_LOG=debug|info|warn|error); nothing changes it later.
const wanted = process.env.PRINTDECK_LOG as LogLevel | undefined;
const threshold: LogLevel = wanted !== undefined && wanted in ORDER ? wanted : 'info';

export function createLogger(scope: string, sink: (line: string) => void = (l) => process.stderr.write(l + '\n')): Logger {
  const write = (level: LogLevel, msg: string, extra?: unknown): void => {
    if (ORDER[level] < ORDER[threshold]) return;
    const tail = extra === undefined ? '' : ' ' + describe(extra);
    sink(`${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} [${scope}] ${msg}${tail}`);
  };
  return {
    debug: (m, e) => write('debug', m, e),
    info: (m, e) => write('info', m, e),
    warn: (m, e) => write('warn', m, e),
    error: (m, e) => write('error', m, e),
    child: (s) => createLogger(`${scope}:${s}`, sink),
  };
}

function describe(extra: unknown): string {
  if (extra instanceof Error) return extra.stack ?? extra.message;
  try {
    return JSON.stringify(extra);
  } catch {
    return String(extra);
  }
}
