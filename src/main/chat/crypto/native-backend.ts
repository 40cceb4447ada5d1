/** `auto` takes node:crypto when it passes its self-test; `noble` forces the @noble fallback. */
export type BackendChoice = 'auto' | 'noble';

/**
 * One algorithm's choice between node:crypto and @noble, made by capability: the native
 * implementation is built and checked against @noble once, on first use, and used only if it
 * agrees — never chosen from a version number. An environment variable (or a test) can force
 * the fallback.
 */
export class NativeBackend<T> {
  private choice: BackendChoice;
  private probed: T | null | undefined;

  constructor(
    private readonly create: () => T,
    private readonly selfTest: (native: T) => boolean,
    envVar: string,
  ) {
    this.choice = process.env[envVar] === 'noble' ? 'noble' : 'auto';
  }

  /** The native implementation, or null when this Node cannot provide it (or `noble` was chosen). */
  get(): T | null {
    if (this.choice === 'noble') return null;
    if (this.probed === undefined) {
      try {
        const native = this.create();
        this.probed = this.selfTest(native) ? native : null;
      } catch {
        this.probed = null;
      }
    }
    return this.probed;
  }

  choose(next: BackendChoice): void {
    this.choice = next;
  }

  /** What runs right now (the bench reports it). */
  name(): 'node:crypto' | 'noble' {
    return this.get() ? 'node:crypto' : 'noble';
  }
}
