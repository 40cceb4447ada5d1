import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { FriendshipDTO, GroupMember } from '../../src/main/gen/skissm/common';
import type { IdentityKeyPublic, OneTimePreKeyPublic, SignedPreKeyPublic } from '../../src/main/gen/skissm/crypto';
import type { ProtoMsg } from '../../src/main/gen/skissm/proto_msg';
import type { MsgBackupDTO } from '../../src/main/gen/skiserver/skiserver';

/** Everything the sandbox Skiserver keeps: public keys, routing queues of signed ciphertext, social graph. */

export interface DeviceRecord {
  deviceId: string;
  packId: number;
  identity: IdentityKeyPublic;
  signedPreKey: SignedPreKeyPublic;
  oneTimePreKeys: OneTimePreKeyPublic[];
  password: string;
  /** Messages waiting for ConsumeProtoMsg, oldest first (the offline queue). */
  queue: ProtoMsg[];
  supplyRequested: boolean;
  pushId: string;
}

export interface Privacy {
  allowAttention: boolean;
  allowGreeting: boolean;
  allowAutoFriend: boolean;
}

export interface UserRecord {
  userId: string;
  userName: string;
  authenticator: string;
  devices: Map<string, DeviceRecord>;
  privacy: Privacy;
  backups: MsgBackupDTO[];
  backupKeyHash: Uint8Array;
  /** Users this one has sessions with (invites either way); they hear about its new and removed devices. */
  contacts: Set<string>;
}

/** Directed relation owner → other: 'pending' (owner asked), 'friend', plus owner's block and memo. */
export interface Relation {
  status: 'none' | 'pending' | 'friend';
  blocked: boolean;
  memo: string;
  modified: number;
}

export interface GroupRecord {
  groupId: string;
  name: string;
  members: GroupMember[];
}

export interface AuthSession {
  userId: string;
  deviceId: string;
  expiresAt: number;
}

export class SandboxState {
  readonly users = new Map<string, UserRecord>();
  /** key `${owner}|${other}` (user ids). */
  readonly relations = new Map<string, Relation>();
  readonly groups = new Map<string, GroupRecord>();
  readonly authCodes = new Map<string, { code: string; expiresAt: number }>();
  readonly tokens = new Map<string, AuthSession>();
  readonly logLines: string[] = [];
  private saveTimer: NodeJS.Timeout | null = null;

  constructor(
    readonly domain: string,
    private readonly workDir: string | null,
  ) {
    if (workDir) mkdirSync(workDir, { recursive: true });
  }

  log(line: string): void {
    const stamped = `${new Date().toISOString()} ${line}`;
    this.logLines.push(stamped);
    if (this.logLines.length > 5000) this.logLines.splice(0, 1000);
    if (this.workDir) appendFileSync(path.join(this.workDir, 'skiserver.log'), stamped + '\n');
  }

  /** The "e-mail" outbox: where auth codes go instead of a mail server. */
  mail(to: string, text: string): void {
    if (this.workDir) appendFileSync(path.join(this.workDir, 'outbox.txt'), `To: ${to}\n${text}\n\n`);
  }

  get outboxPath(): string | null {
    return this.workDir ? path.join(this.workDir, 'outbox.txt') : null;
  }

  /** Friends and session partners of a user: who must learn about its device changes. */
  contactsOf(userId: string): string[] {
    const out = new Set(this.users.get(userId)?.contacts ?? []);
    for (const [key, rel] of this.relations) if (key.startsWith(`${userId}|`) && rel.status === 'friend') out.add(key.slice(userId.length + 1));
    out.delete(userId);
    return [...out];
  }

  relation(owner: string, other: string): Relation {
    const key = `${owner}|${other}`;
    let found = this.relations.get(key);
    if (!found) {
      found = { status: 'none', blocked: false, memo: '', modified: Date.now() };
      this.relations.set(key, found);
    }
    return found;
  }

  friendship(owner: string, other: string): FriendshipDTO {
    const mine = this.relation(owner, other);
    const otherUser = this.users.get(other);
    return {
      modifiedDate: String(mine.modified),
      fromUser: `${owner}@${this.domain}`,
      toUser: `${other}@${this.domain}`,
      nickname: otherUser?.userName ?? '',
      memoname: mine.memo,
      blockState: mine.blocked ? 1 : 0,
      // 0 none, 1 request sent by owner, 2 friends, 3 request received by owner (Printdeck's numbering).
      friendStatus: mine.status === 'friend' ? 2 : mine.status === 'pending' ? 1 : this.relation(other, owner).status === 'pending' ? 3 : 0,
    };
  }

  /** Writes the whole state (public keys and ciphertext only) to disk, debounced: the server's "storage". */
  scheduleSave(): void {
    if (!this.workDir || this.saveTimer) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = null;
      this.saveNow();
    }, 100);
    this.saveTimer.unref();
  }

  saveNow(): void {
    if (!this.workDir) return;
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = null;
    writeFileSync(path.join(this.workDir, 'state.json'), JSON.stringify(this.snapshot()));
  }

  /** A plain-JSON view of every stored structure (Buffers as base64), for storage and for inspection in tests. */
  snapshot(): unknown {
    return JSON.parse(
      JSON.stringify(
        {
          domain: this.domain,
          users: [...this.users.values()].map((u) => ({ ...u, devices: [...u.devices.values()], contacts: [...u.contacts] })),
          relations: [...this.relations.entries()],
          groups: [...this.groups.values()],
        },
        (_key, value: unknown) => {
          if (value && typeof value === 'object' && (value as { type?: string }).type === 'Buffer') {
            return Buffer.from((value as { data: number[] }).data).toString('base64');
          }
          if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
          return value;
        },
      ),
    );
  }
}
