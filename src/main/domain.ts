import type { DatabaseSync } from 'node:sqlite';
import type { ConnectionService } from './connections/connection-service';
import type { Fleet } from './devices/fleet';
import type { PrintProfiles } from './devices/print-profiles';
import type { TransferService } from './devices/transfers';
import type { EventHub } from './events/event-hub';
import type { PickedFiles } from './files/picked-files';
import type { FileStaging } from './files/staging';
import type { Logger } from './log';
import type { NotificationCenter } from './notifications/notification-center';
import type { SecretStore } from './store/secrets';

/**
 * What the composition root hands each domain (printers, cloud, chat, uploads). Domains get
 * services, never Electron and never a transport: they run and are tested in plain Node.
 */
export interface DomainContext {
  db: DatabaseSync;
  dataDir: string;
  events: EventHub;
  notifications: NotificationCenter;
  connections: ConnectionService;
  secrets: SecretStore;
  fleet: Fleet;
  /** Sends files to the fleet's printers (printers.print, the print queue): one path, one set of progress events. */
  transfers: TransferService;
  /** What each family's printers can print, and how to read their file formats (print queue routing). */
  profiles: PrintProfiles;
  /** Files browsers sent over the API (files.stage*), shared by the domains that take files. */
  staging: FileStaging;
  /** Files the desktop user dropped or picked (tokens), and who may name host paths. */
  picked: PickedFiles;
  log: Logger;
}

/** A domain's part of the app: its slice of the contract's handlers and its lifecycle. */
export interface DomainModule<H> {
  handlers: H;
  /** Called once after every domain is built (connect to configured servers, resume queues). */
  start?(): Promise<void> | void;
  stop?(): Promise<void> | void;
}
