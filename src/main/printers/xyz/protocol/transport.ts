/**
 * The v3 protocol behaves differently over USB serial and over TCP 9100:
 * terminators, `$` after single-key queries, and replies to config/action commands.
 */
export type XyzLink = 'usb' | 'tcp';
