/**
 * The v3 protocol behaves differently over USB serial and over TCP 9100 (spec §3.1, §3.2, §5.1):
 * terminators, `$` after single-key queries, and replies to config/action commands.
 */
export type XyzLink = 'usb' | 'tcp';
