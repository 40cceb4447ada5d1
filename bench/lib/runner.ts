import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { BenchResult, BenchSuite } from './types';

/** Runs the benchmark suites (all, or those whose file or prefix is named), prints a table, optionally writes JSON. */
async function main(): Promise<number> {
  const { values, positionals } = parseArgs({ options: { json: { type: 'string' } }, allowPositionals: true });
  const dir = path.resolve(__dirname, '..');
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.bench.ts'))
    .sort();
  const wanted = files.filter((f) => positionals.length === 0 || positionals.some((p) => f.startsWith(p)));
  if (wanted.length === 0) {
    process.stderr.write(`No benchmark matches ${positionals.join(', ')}. Available: ${files.join(', ')}\n`);
    return 2;
  }
  const all: BenchResult[] = [];
  for (const file of wanted) {
    const suite = (await import(path.join(dir, file))).default as BenchSuite;
    process.stdout.write(`running ${file} …\n`);
    try {
      all.push(...(await suite.run()));
    } catch (err) {
      process.stderr.write(`${file} failed: ${(err as Error).stack ?? err}\n`);
      all.push({ name: `${suite.prefix}.failed`, value: 1, unit: 'error', target: 0, better: 'lower' });
    }
  }
  printTable(all);
  if (values.json) writeFileSync(values.json, JSON.stringify(all, null, 2) + '\n');
  return 0;
}

function verdict(r: BenchResult): string {
  if (r.target === null) return '';
  const ok = r.better === 'higher' ? r.value >= r.target : r.value <= r.target;
  const ratio = r.target === 0 ? '' : ` (${(r.value / r.target).toFixed(2)}× target)`;
  return `${ok ? 'meets' : 'MISSES'} ${r.better === 'higher' ? '≥' : '≤'} ${r.target}${ratio}`;
}

function printTable(results: BenchResult[]): void {
  const rows = results.map((r) => [r.name, formatValue(r.value), r.unit, verdict(r)]);
  const header = ['benchmark', 'value', 'unit', 'target'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 1 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
  process.stdout.write(`\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n`);
  for (const row of rows) process.stdout.write(line(row) + '\n');
}

function formatValue(v: number): string {
  return Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toFixed(4);
}

main().then((code) => process.exit(code));
