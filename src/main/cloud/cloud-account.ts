import type { CloudAccount as CloudAccountStatus } from '../../shared/contract';
import type { StoredConnection } from '../connections/connection-repo';
import type { DomainContext } from '../domain';
import { ArmoryApi, type ArmoryApiOptions } from './armory/armory-api';
import { CloudInbox } from './inbox';
import { CloudPrinters, type PollIntervals } from './cloud-printers';
import { CloudSession } from './cloud-session';
import { CoverCache } from './covers';
import { demoCodeHint } from './demo-hint';
import { toCloudMessage, type TaskContext } from './mapping';

export interface CloudAccountOptions {
  api?: ArmoryApiOptions;
  intervals?: PollIntervals;
  inboxIntervalMs?: number;
  /** Counts every Armory call (benchmark). */
  onCall?: (rpc: string) => void;
}

/**
 * One Armory account (one connection): its client, sign-in, printers, inbox and picture cache,
 * and the state the Cloud screen shows. Lives as long as the connection does.
 */
export class CloudAccountRuntime {
  readonly api: ArmoryApi;
  readonly session: CloudSession;
  readonly printers: CloudPrinters;
  readonly inbox: CloudInbox;
  readonly covers = new CoverCache();
  readonly taskContext: TaskContext;
  private lastPublished = '';
  private readonly offSession: () => void;

  constructor(
    private connectionValue: StoredConnection,
    private readonly ctx: DomainContext,
    options: CloudAccountOptions = {},
  ) {
    const log = ctx.log.child(connectionValue.name);
    this.api = new ArmoryApi(connectionValue.address, options.api);
    if (options.onCall) this.api.onCall = options.onCall;
    this.session = new CloudSession({ connectionId: connectionValue.id, api: this.api, secrets: ctx.secrets, log });
    this.printers = new CloudPrinters({
      connectionId: connectionValue.id,
      session: this.session,
      api: this.api,
      log,
      ...(options.intervals ? { intervals: options.intervals } : {}),
    });
    this.taskContext = {
      coverId: (url) => this.covers.register(url),
      deviceName: (devId) => this.printers.nameOf(devId),
    };
    this.inbox = new CloudInbox({
      connectionId: connectionValue.id,
      session: this.session,
      api: this.api,
      db: ctx.db,
      events: ctx.events,
      notifications: ctx.notifications,
      log,
      toMessage: (m) => toCloudMessage(m, this.taskContext),
      alreadyAnnounced: (taskId) => this.printers.announced(taskId),
      ...(options.inboxIntervalMs ? { intervalMs: options.inboxIntervalMs } : {}),
    });
    this.printers.onPolled = () => this.publish();
    let lastState = this.session.state;
    this.offSession = this.session.onChange(() => {
      const state = this.session.state;
      // An account problem is one notice for the account, never one per printer.
      if (state === 'expired' && lastState !== 'expired') this.announceExpiry();
      lastState = state;
      this.printers.sessionChanged();
      this.inbox.sessionChanged();
      this.publish();
    });
    this.session.load();
    this.inbox.start();
  }

  get connection(): StoredConnection {
    return this.connectionValue;
  }

  /** The connection was edited (name, options) without a new address. */
  updateConnection(connection: StoredConnection): void {
    this.connectionValue = connection;
    this.publish();
  }

  status(): CloudAccountStatus {
    const c = this.connectionValue;
    const optionAccount = typeof c.options.account === 'string' ? c.options.account.slice(0, 254) : null;
    const account = this.session.account ?? optionAccount;
    const state = this.session.state;
    return {
      connectionId: c.id,
      name: c.name,
      address: c.address,
      account,
      state,
      message: this.session.message,
      expiresAt: this.session.expiresAt,
      passwordSaved: this.ctx.secrets.has(`connection:${c.id}`),
      demoHint: state === 'code-required' ? demoCodeHint(c, account) : null,
      deviceCount: state === 'signed-out' ? 0 : this.printers.count,
      syncedAt: this.printers.syncedAt,
      syncProblem: state === 'signed-in' ? this.printers.syncProblem : null,
    };
  }

  private announceExpiry(): void {
    const c = this.connectionValue;
    this.ctx.notifications.notify({
      level: 'warning',
      title: `${c.name}: sign in again`,
      body: `The cloud no longer accepts this sign-in. Its ${this.printers.count === 1 ? 'printer keeps' : 'printers keep'} the last state the cloud reported until you sign in again.`,
      route: 'cloud',
    });
  }

  /** Emits `cloud.account` when anything but the sync time changed. */
  publish(force = false): void {
    const status = this.status();
    const key = JSON.stringify({ ...status, syncedAt: null });
    if (!force && key === this.lastPublished) return;
    this.lastPublished = key;
    this.ctx.events.emit('cloud.account', status);
  }

  dispose(): void {
    this.offSession();
    this.printers.stop();
    this.inbox.stop();
    this.session.dispose();
    this.api.close();
    this.covers.clear();
  }
}
