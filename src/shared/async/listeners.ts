/**
 * A set of listeners with isolation: one that throws does not stop the others, nor the code that
 * emitted. Its error goes to `onError` (a logger, usually); without one it is dropped.
 */
export class Listeners<A extends unknown[]> {
  private readonly set = new Set<(...args: A) => void>();

  constructor(private readonly onError?: (error: unknown) => void) {}

  /** Adds a listener; returns the function that removes it. */
  add(listener: (...args: A) => void): () => void {
    this.set.add(listener);
    return () => {
      this.set.delete(listener);
    };
  }

  emit(...args: A): void {
    // A copy: a listener may remove itself (or others) while we go through them.
    for (const listener of [...this.set]) {
      try {
        listener(...args);
      } catch (error) {
        this.onError?.(error);
      }
    }
  }

  get size(): number {
    return this.set.size;
  }

  clear(): void {
    this.set.clear();
  }
}
