/**
 * Run by bench/xyz-threew.bench.ts in a child process so that its peak memory is its own:
 * `threew-memory-child.ts <encode|decode|print> <input> <output>` prints one JSON line
 * `{ baseline, peak }` in bytes (resident set before the work, and the highest it reached).
 */
import { resourceUsage } from 'node:process';
import { runThreeWCommand } from '../../src/main/printers/xyz/threew/cli';
import { prepareUpload } from '../../src/main/printers/xyz/driver/upload-source';
import { findModel } from '../../src/main/printers/xyz/models';

async function main(): Promise<void> {
  const [mode, input, output] = process.argv.slice(2);
  if (!mode || !input || !output) throw new Error('usage: threew-memory-child <encode|decode|print> <input> <output>');
  const io = { out: () => undefined, err: (line: string) => process.stderr.write(line + '\n') };
  globalThis.gc?.();
  const baseline = process.memoryUsage().rss;
  if (mode === 'encode') {
    if ((await runThreeWCommand(['encode', input, '-o', output, '--model', 'dv1MX0A000'], io)) !== 0) throw new Error('encode failed');
  } else if (mode === 'decode') {
    if ((await runThreeWCommand(['decode', input, '-o', output], io)) !== 0) throw new Error('decode failed');
  } else {
    // What a print does on the host: convert, then hand the printer 8 KiB blocks one at a time.
    const source = await prepareUpload(input, 'bench.gcode', findModel('dv1MX0A000')!);
    for (let at = 0; at < source.size; ) at += (await source.read(at, 8192)).length;
    await source.close();
  }
  process.stdout.write(JSON.stringify({ baseline, peak: resourceUsage().maxRSS * 1024 }) + '\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
