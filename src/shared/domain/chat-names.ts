/**
 * What people see for a chat user: the memo they gave the contact, else the contact's display name, else the
 * user id alone. A full address (`user@sandbox.printdeck.local`) is for the details panel, never a label.
 */
export function chatDisplayName(address: string, known?: { memo?: string; nickname?: string } | null): string {
  if (known?.memo) return known.memo;
  if (known?.nickname) return known.nickname;
  const at = address.lastIndexOf('@');
  return at > 0 ? address.slice(0, at) : address;
}
