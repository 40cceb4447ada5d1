import { mqttCalls, type MqttConfigure, type MqttLink, type MqttView } from '../../shared/contract';
import { AppError } from '../../shared/rpc/result';
import type { DomainContext, DomainModule } from '../domain';
import type { HandlersOf } from '../rpc/registrar';
import { APP_VERSION } from '../version';
import path from 'node:path';
import type { QueuedJobStarter } from '../devices/queued-jobs';
import { PrintReceiver, type ReceiverOptions } from './print-receiver';
import { MqttPublisher, type PublisherOptions } from './publisher';
import { MqttSettingsStore, PASSWORD_SECRET } from './settings-store';
import { SiteProvider } from './site-provider';
import type { UploadTuning } from './site-upload';
import { DEFAULT_BASE } from './topics';

export type PublisherTuning = Pick<PublisherOptions, 'stateIntervalMs' | 'maxPerSecond' | 'keepaliveS' | 'reconnectPeriodMs' | 'cameraIntervalMs' | 'birthDelayMs'>;

export interface MqttModuleOptions {
  /** Settings given on the command line (`printdeck serve --mqtt … --site …`), saved like the Settings screen's. */
  configure?: MqttConfigure;
  tuning?: PublisherTuning;
  /** For sites: how often a lost broker is retried. */
  siteReconnectMs?: number;
  /** For sites: chunk size and waits of uploads to another site's printers (tests, the bench). */
  siteUpload?: UploadTuning;
  /** This host's print queue (the `print-job` command); the hub hands it in. */
  queue?: QueuedJobStarter;
  /** Limits for files other sites send (`print`). */
  receiver?: ReceiverOptions;
}

/**
 * Printers on many hosts, joined through an MQTT broker: publishes this host's fleet (and Home
 * Assistant discovery) when enabled, and brings other sites' printers into the fleet as
 * connections of kind `site`. Without a broker nothing here runs.
 */
export function createMqttModule(ctx: DomainContext, options: MqttModuleOptions = {}): DomainModule<HandlersOf<typeof mqttCalls>> & { publisher(): MqttPublisher | null } {
  const store = new MqttSettingsStore(ctx.db);
  let publisher: MqttPublisher | null = null;
  let link: MqttLink = { state: 'off', message: null };
  let restarting: Promise<void> = Promise.resolve();

  // Another site's printers: their profiles come with their state, so this host's queue can route to them.
  const sites = new Map<string, SiteProvider>();
  ctx.fleet.registerProvider('site', (driverCtx) => {
    const provider = new SiteProvider(driverCtx, {
      ...(options.siteReconnectMs ? { reconnectPeriodMs: options.siteReconnectMs } : {}),
      ...(options.siteUpload ? { upload: options.siteUpload } : {}),
    });
    sites.set(driverCtx.connection.id, provider);
    return provider;
  });
  ctx.profiles.registerDeviceProfiles((status) => (status.site ? (sites.get(status.connectionId)?.profileOf(status.deviceId) ?? null) : null));
  const receiver = new PrintReceiver(
    path.join(ctx.dataDir, 'mqtt-prints'),
    {
      status: (deviceId) => ctx.fleet.list().find((d) => d.deviceId === deviceId) ?? null,
      print: (deviceId, file) => ctx.transfers.send(deviceId, file, 'site'),
    },
    ctx.log.child('receive'),
    options.receiver,
  );
  const sweepTimer = setInterval(() => void receiver.sweep().catch((err: unknown) => ctx.log.warn('cleaning up received prints failed', err)), 60_000);
  sweepTimer.unref();

  const view = (): MqttView => {
    const { settings, hostUid } = store.read();
    return { settings, hostUid, hasPassword: ctx.secrets.has(PASSWORD_SECRET), link };
  };
  const setLink = (next: MqttLink) => {
    link = next;
    ctx.events.emit('mqtt.changed', view());
  };

  const stopPublisher = async () => {
    const p = publisher;
    publisher = null;
    await p?.stop();
  };

  const startPublisher = () => {
    const { settings, hostUid } = store.read();
    if (!settings.enabled || !settings.url) {
      setLink({ state: 'off', message: null });
      return;
    }
    const p = new MqttPublisher({
      fleet: ctx.fleet,
      log: ctx.log,
      version: APP_VERSION,
      settings: {
        url: settings.url,
        username: settings.username,
        password: ctx.secrets.get(PASSWORD_SECRET),
        site: settings.site,
        hostUid,
        hostName: settings.hostName,
        base: DEFAULT_BASE,
        discovery: settings.discovery,
        discoveryPrefix: settings.discoveryPrefix,
        commands: settings.commands,
        camera: settings.camera,
      },
      profileOf: (status) => ctx.profiles.profileOf(status),
      queue: options.queue ?? null,
      receiver,
      onLink: (l) => {
        if (publisher === p) setLink(l);
      },
      ...options.tuning,
    });
    publisher = p;
    p.start();
  };

  const restart = () => {
    restarting = restarting.then(async () => {
      await stopPublisher();
      startPublisher();
    });
    return restarting;
  };

  const configure = async (req: MqttConfigure): Promise<MqttView> => {
    const { password, ...changes } = req;
    const current = store.read().settings;
    const next = { ...current, ...Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)) };
    if (next.enabled && !next.url) throw new AppError('BAD_REQUEST', 'A broker address is needed to publish.', 'url');
    if (next.enabled && !isLoopbackUrl(next.url) && next.url.startsWith('mqtt:') && (password ?? ctx.secrets.get(PASSWORD_SECRET))) {
      ctx.log.warn('the MQTT password travels unencrypted: use mqtts:// for a broker that is not on this machine');
    }
    // A new broker without a new password: the old password is not sent to a server it was not given for.
    if (password === null || (password === undefined && next.url !== current.url && current.url !== '')) ctx.secrets.delete(PASSWORD_SECRET);
    if (password) ctx.secrets.set(PASSWORD_SECRET, password);
    store.write(next);
    await restart();
    const v = view();
    ctx.events.emit('mqtt.changed', v);
    return v;
  };

  return {
    publisher: () => publisher,
    handlers: {
      'mqtt.get': () => view(),
      'mqtt.configure': (req) => configure(req),
    },
    start: async () => {
      if (options.configure) await configure(options.configure);
      else await restart();
    },
    stop: async () => {
      await restarting;
      await stopPublisher();
      clearInterval(sweepTimer);
      await receiver.dispose();
    },
  };
}

function isLoopbackUrl(url: string): boolean {
  try {
    const host = new URL(url).hostname;
    return host === 'localhost' || host === '[::1]' || host.startsWith('127.');
  } catch {
    return false;
  }
}
