import { execFileSync } from 'node:child_process';
import path from 'node:path';

/** Integration tests drive the built CLI (bin/printdeck.js → out/main/cli.js); build once per run. */
export default function setup(): void {
  if (process.env.PRINTDECK_SKIP_BUILD === '1') return;
  const root = path.resolve(__dirname, '../..');
  execFileSync(process.execPath, [path.join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], {
    cwd: root,
    stdio: 'pipe',
  });
}
