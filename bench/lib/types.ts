/** One measured figure, in the shape `npm run bench -- --json FILE` writes. */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  /** The target the figure is judged against, or null when it is reported for information. */
  target: number | null;
  better: 'higher' | 'lower';
}

/**
 * A benchmark file (`bench/<area>.bench.ts`) default-exports one suite. `prefix` is the
 * area (`ipc`, `xyz`, `octoprint`, …); every result name starts with `${prefix}.`.
 */
export interface BenchSuite {
  prefix: string;
  run(): Promise<BenchResult[]>;
}
