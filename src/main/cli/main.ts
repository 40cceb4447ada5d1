import path from 'node:path';
import { runThreeWCommand } from '../printers/xyz/threew/cli';
import { runServe, SERVE_HELP } from './serve';

const HELP = `Usage: printdeck <command> [options]

Commands:
  serve     serve the Printdeck UI and API to browsers (see: printdeck serve --help)
  3w        convert G-code to XYZ .3w and back, or describe a .3w file (see: printdeck 3w --help)

${SERVE_HELP}`;

/** The `printdeck` command line; each capability adds its subcommand here. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const rendererDir = path.resolve(__dirname, '../renderer');
  switch (command) {
    case 'serve':
      return runServe(rest, rendererDir);
    case '3w':
      return runThreeWCommand(rest, {
        out: (line) => process.stdout.write(line + '\n'),
        err: (line) => process.stderr.write(line + '\n'),
      });
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      process.stdout.write(HELP);
      return command === undefined ? 2 : 0;
    default:
      process.stderr.write(`printdeck: unknown command "${command}".\n\n${HELP}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`printdeck: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
