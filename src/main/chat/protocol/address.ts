import type { E2eeAddress } from '../../gen/skissm/common';

/**
 * E2eeAddress helpers. The "simple e2ee address" the skiserver messages use (to_user, from_user, to_group)
 * is unpublished; Printdeck uses `userId@domain` and keeps that choice in this file only.
 */

export interface DeviceRef {
  readonly userId: string;
  readonly domain: string;
  readonly deviceId: string;
}

export interface UserRef {
  readonly userId: string;
  readonly domain: string;
}

export function deviceAddress(ref: DeviceRef, userName = ''): E2eeAddress {
  return { domain: ref.domain, peer: { $case: 'user', value: { userName, userId: ref.userId, deviceId: ref.deviceId } } };
}

export function userAddress(ref: UserRef): E2eeAddress {
  return { domain: ref.domain, peer: { $case: 'user', value: { userName: '', userId: ref.userId, deviceId: '' } } };
}

export function groupAddress(domain: string, groupId: string, groupName = ''): E2eeAddress {
  return { domain, peer: { $case: 'group', value: { groupName, groupId } } };
}

/** The device behind an address, or null when it is not a user device address. */
export function deviceOf(address: E2eeAddress | undefined): DeviceRef | null {
  if (!address || address.peer?.$case !== 'user') return null;
  const { userId, deviceId } = address.peer.value;
  if (!userId || !address.domain) return null;
  return { userId, domain: address.domain, deviceId };
}

export function groupIdOf(address: E2eeAddress | undefined): string | null {
  if (!address || address.peer?.$case !== 'group' || !address.peer.value.groupId) return null;
  return address.peer.value.groupId;
}

export function simpleAddress(ref: UserRef): string {
  return `${ref.userId}@${ref.domain}`;
}

export function parseSimpleAddress(text: string): UserRef | null {
  const at = text.lastIndexOf('@');
  if (at <= 0 || at === text.length - 1) return null;
  return { userId: text.slice(0, at), domain: text.slice(at + 1) };
}

export function deviceKey(ref: DeviceRef): string {
  return `${ref.userId}@${ref.domain}/${ref.deviceId}`;
}

export function sameUser(a: UserRef, b: UserRef): boolean {
  return a.userId === b.userId && a.domain === b.domain;
}

export function sameDevice(a: DeviceRef, b: DeviceRef): boolean {
  return sameUser(a, b) && a.deviceId === b.deviceId;
}

/** User ids: 3..32 characters of a-z, 0-9, '.', '_' and '-', starting with a letter or digit. */
export const USER_ID_PATTERN = /^[a-z0-9][a-z0-9._-]{2,31}$/;
