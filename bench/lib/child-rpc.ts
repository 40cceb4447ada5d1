import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * A tiny request/answer protocol over a forked child's IPC channel, so a bench can run a party (a server, a
 * device) on its own event loop, as it would be on its own machine. Requests are `{ id, op, args }`, answers
 * `{ id, ok, value | error }`; nothing else crosses, so the parties share no memory and no loop.
 */
interface Request {
  id: number;
  op: string;
  args: unknown[];
}
interface Answer {
  id: number;
  ok: boolean;
  value?: unknown;
  error?: string;
}

export type Handlers = Record<string, (...args: never[]) => unknown>;

/** The bench's side: a TypeScript child started with the tsx loader (the runner runs TS through tsx too). */
export class ChildParty {
  private readonly child: ChildProcess;
  private next = 1;
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly exited: Promise<void>;

  constructor(file: string, args: string[] = []) {
    const loader = pathToFileURL(path.resolve(__dirname, '../../node_modules/tsx/dist/loader.mjs')).href;
    this.child = fork(file, args, { execArgv: ['--import', loader], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.child.on('message', (m: Answer) => {
      const w = this.waiting.get(m.id);
      this.waiting.delete(m.id);
      if (!w) return;
      if (m.ok) w.resolve(m.value);
      else w.reject(new Error(`${path.basename(file)}: ${m.error}`));
    });
    this.exited = new Promise((resolve) => this.child.once('exit', () => resolve()));
    this.child.once('exit', (code) => {
      for (const w of this.waiting.values()) w.reject(new Error(`${path.basename(file)} exited (${code})`));
      this.waiting.clear();
    });
  }

  call<T>(op: string, ...args: unknown[]): Promise<T> {
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.child.send({ id, op, args } satisfies Request);
    });
  }

  /** Asks the child to close its party (the `close` handler) and waits for it to exit. */
  async close(): Promise<void> {
    if (this.child.exitCode === null) await this.call('close').catch(() => undefined);
    // It exits by itself once its answer is out; a child that does not within a few seconds is ended.
    const timer = setTimeout(() => this.child.kill(), 5000);
    await this.exited;
    clearTimeout(timer);
  }
}

/** The child's side: answers requests with `handlers`; `close` runs the handler then exits the process. */
export function serveParent(handlers: Handlers): void {
  process.on('message', (m: Request) => {
    const fn = handlers[m.op] as ((...args: unknown[]) => unknown) | undefined;
    Promise.resolve()
      .then(() => {
        if (!fn) throw new Error(`no operation ${m.op}`);
        return fn(...m.args);
      })
      .then(
        (value) => process.send!({ id: m.id, ok: true, value } satisfies Answer, () => (m.op === 'close' ? process.exit(0) : undefined)),
        (err: unknown) => process.send!({ id: m.id, ok: false, error: err instanceof Error ? err.message : String(err) } satisfies Answer),
      );
  });
  process.on('disconnect', () => process.exit(0));
}
