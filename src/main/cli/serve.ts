import path from 'node:path';
import { parseArgs } from 'node:util';
import { defaultDemoFleet, defaultDemoPlan, defaultDemoQueue } from '../../../sim/demo/plan';
import { SITE_NAME, type MqttConfigure } from '../../shared/contract';
import { Hub } from '../hub';
import { splitBrokerUrl } from '../mqtt/client';
import { DEFAULT_PORT, startHost } from '../host/host-server';
import { isLoopbackHost } from '../host/access';
import { createLogger } from '../log';
import { StoreOpenError } from '../store/database';
import { KeyFileProvider } from '../store/key-file';
import { MAX_DEMO_PRINTERS } from '../../shared/contract';
import { defaultDataDir } from './data-dir';

export const SERVE_HELP = `Usage: printdeck serve [options]

Serves the Printdeck UI to browsers and the Printdeck API over WebSocket.

  --port <n>        port to listen on (default ${DEFAULT_PORT}; 0 picks a free one)
  --host <addr>     address to listen on (default 127.0.0.1). Anything but loopback
                    exposes Printdeck to your network: the token is then all that protects it.
  --data-dir <dir>  where the database and secrets key live (default ${defaultDataDir()})
  --demo            start the built-in demo fleet of simulated printers and servers
  --demo-printers <n>
                    with --demo: a lab of n simulated printers (1 to ${MAX_DEMO_PRINTERS}) across
                    the families instead, a share of them printing and a few failing
  --demo-all-printing
                    with --demo-printers: every printer of the lab printing (benchmarks)
  --token <t>       use this access token instead of a random one (scripts, CI)
  --mqtt <url>      publish this host's printers to an MQTT broker, e.g.
                    mqtts://user@broker.example.org:8883 (docs/mqtt.md); the password is
                    read from PRINTDECK_MQTT_PASSWORD and kept in the secret store
  --site <name>     the site this host belongs to on the broker (lower-case, e.g. lab-2)
  -h, --help        show this help
`;

/** `printdeck serve`: runs until SIGINT/SIGTERM; returns the exit code. */
export async function runServe(argv: string[], rendererDir: string): Promise<number> {
  const log = createLogger('host');
  let args;
  try {
    args = parseArgs({
      args: argv,
      options: {
        port: { type: 'string' },
        host: { type: 'string', default: '127.0.0.1' },
        'data-dir': { type: 'string' },
        demo: { type: 'boolean', default: false },
        'demo-printers': { type: 'string' },
        'demo-all-printing': { type: 'boolean', default: false },
        token: { type: 'string' },
        mqtt: { type: 'string' },
        site: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    }).values;
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${SERVE_HELP}`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(SERVE_HELP);
    return 0;
  }
  const port = args.port === undefined ? DEFAULT_PORT : Number(args.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`--port must be a number from 0 to 65535, got "${args.port}".\n`);
    return 2;
  }
  if (args.token !== undefined && args.token.length < 16) {
    process.stderr.write('--token must be at least 16 characters.\n');
    return 2;
  }
  let mqtt: MqttConfigure | undefined;
  if (args.mqtt !== undefined) {
    const broker = splitBrokerUrl(args.mqtt);
    if (typeof broker === 'string') {
      process.stderr.write(`--mqtt: ${broker}\n`);
      return 2;
    }
    if (broker.password !== null) {
      process.stderr.write('--mqtt: leave the password out of the address; set PRINTDECK_MQTT_PASSWORD instead (it is stored encrypted).\n');
      return 2;
    }
    if (args.site !== undefined && !SITE_NAME.test(args.site)) {
      process.stderr.write('--site must be lower-case letters, digits, - and _ (up to 48), e.g. lab-2.\n');
      return 2;
    }
    const password = process.env.PRINTDECK_MQTT_PASSWORD;
    mqtt = {
      enabled: true,
      url: broker.url,
      username: broker.username,
      ...(args.site !== undefined ? { site: args.site } : {}),
      ...(password ? { password } : {}),
    };
  } else if (args.site !== undefined) {
    process.stderr.write('--site goes with --mqtt <broker>.\n');
    return 2;
  }
  const demoPrinters = args['demo-printers'] === undefined ? undefined : Number(args['demo-printers']);
  if (demoPrinters !== undefined && (!Number.isInteger(demoPrinters) || demoPrinters < 1 || demoPrinters > MAX_DEMO_PRINTERS)) {
    process.stderr.write(`--demo-printers must be a whole number from 1 to ${MAX_DEMO_PRINTERS}, got "${args['demo-printers']}".\n`);
    return 2;
  }
  if (demoPrinters !== undefined && !args.demo) {
    process.stderr.write('--demo-printers needs --demo.\n');
    return 2;
  }
  if (args['demo-all-printing'] && demoPrinters === undefined) {
    process.stderr.write('--demo-all-printing needs --demo-printers <n>.\n');
    return 2;
  }
  const host = args.host ?? '127.0.0.1';
  const dataDir = path.resolve(args['data-dir'] ?? defaultDataDir());

  let hub: Hub;
  try {
    hub = await Hub.create({
      dataDir,
      keyProvider: new KeyFileProvider(dataDir, log),
      log,
      demo: defaultDemoFleet(dataDir, defaultDemoPlan, { queue: defaultDemoQueue }),
      ...(mqtt ? { mqtt: { configure: mqtt } } : {}),
    });
  } catch (err) {
    if (err instanceof StoreOpenError) {
      process.stderr.write(`printdeck: ${err.message}\n`);
      return 3;
    }
    throw err;
  }

  let running;
  try {
    running = await startHost({ hub, rendererDir, host, port, log, ...(args.token ? { token: args.token } : {}) });
  } catch (err) {
    await hub.close();
    const code = (err as NodeJS.ErrnoException).code;
    process.stderr.write(
      code === 'EADDRINUSE'
        ? `printdeck: port ${port} is in use (another Printdeck?). Choose another with --port.\n`
        : `printdeck: cannot listen on ${host}:${port}: ${(err as Error).message}\n`,
    );
    return 1;
  }
  if (!isLoopbackHost(host)) {
    log.warn(`listening on ${host}: anyone on your network who has the URL with its token can control your printers`);
  }
  if (args.demo) {
    try {
      await hub.startDemo(demoPrinters === undefined ? {} : { printers: demoPrinters, ...(args['demo-all-printing'] ? { allPrinting: true } : {}) });
    } catch (err) {
      log.error('the demo fleet did not start', err);
    }
  }
  process.stdout.write(`Printdeck is serving ${dataDir}\nOpen ${running.openUrl}\n`);

  await new Promise<void>((resolve) => {
    const stop = (): void => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  log.info('shutting down');
  await running.close();
  await hub.close();
  return 0;
}
