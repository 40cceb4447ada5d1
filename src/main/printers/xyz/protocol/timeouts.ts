/**
 * Every time value the spec gives for talking to da Vinci printers, in milliseconds.
 * The codecs are timer-free; the driver owns the clock and uses these.
 * Tags in brackets are the spec's confidence tags; [G] values are recommendations, not facts.
 */

// --- XYZware per-command read timeouts (spec §3.4, decompiled client) [S] ---
/** `query=a` on nano / mini w / miniMaker. */
export const XYZ_QUERY_ALL_TIMEOUT_MS = 5_000;
/** `query=W` (Wi-Fi scan) on nano / mini w / miniMaker. */
export const XYZ_QUERY_WIFI_TIMEOUT_MS = 5_000;
/** Any other `query=` on nano / mini w / miniMaker (also the "normal query" of §7 item 4). */
export const XYZ_QUERY_TIMEOUT_MS = 2_000;
/** `config=` on nano / mini w / miniMaker. */
export const XYZ_CONFIG_TIMEOUT_MS = 2_000;
/** `action=` first reply (all models). */
export const XYZ_ACTION_REPLY_TIMEOUT_MS = 500;
/** `action=calibratejr:getdata`. */
export const XYZ_CALIBRATE_GETDATA_TIMEOUT_MS = 3_000;
/** XYZware's "not listening" probe. */
export const XYZ_NOT_LISTENING_TIMEOUT_MS = 50;
/** `query=` on other models. */
export const XYZ_QUERY_OTHER_MODELS_TIMEOUT_MS = 5_000;
/** `config=` on other models; §7 item 4 also recommends 5 s for config in general [G]. */
export const XYZ_CONFIG_OTHER_MODELS_TIMEOUT_MS = 5_000;

// --- miniMover defaults (spec §3.4, §7) [C] ---
/** miniMover's default wait for any reply, serial and socket. */
export const XYZ_DEFAULT_REPLY_TIMEOUT_MS = 5_000;
/** Minimum wait for the `ok` after one upload block (miniMover). */
export const XYZ_UPLOAD_BLOCK_TIMEOUT_MS = 5_000;
/** Upper wait for a block `ok` when the printer writes to its SD card (§7 item 4) [G]. */
export const XYZ_UPLOAD_BLOCK_SD_TIMEOUT_MS = 30_000;
/** Drain window for the optional `ok` lines after `uploadDidFinish` (§3.9: 2–5 s) [G]. */
export const XYZ_UPLOAD_FINISH_DRAIN_MIN_MS = 2_000;
export const XYZ_UPLOAD_FINISH_DRAIN_MAX_MS = 5_000;
/** `config=ssid:[…]` (joining Wi-Fi) (§3.7, miniMover). */
export const XYZ_CONFIG_SSID_TIMEOUT_MS = 25_000;

// --- Maintenance actions (spec §3.8, §7 item 4) ---
/** `action=home` overall. */
export const XYZ_ACTION_HOME_TIMEOUT_MS = 120_000;
/** Per step of `action=calibratejr:…`. */
export const XYZ_ACTION_CALIBRATE_STEP_TIMEOUT_MS = 240_000;
/** Overall bounds miniMover uses for an action (§7 item 4). */
export const XYZ_ACTION_OVERALL_MIN_MS = 120_000;
export const XYZ_ACTION_OVERALL_MAX_MS = 360_000;

// --- Network (spec §3.4, §5) ---
/** TCP connect wait (XYZware). */
export const XYZ_TCP_CONNECT_TIMEOUT_MS = 5_000;
/** XYZware socket send / receive timeouts. */
export const XYZ_TCP_SEND_TIMEOUT_MS = 500;
export const XYZ_TCP_RECEIVE_TIMEOUT_MS = 500;
/** Spacing miniMover planned between Wi-Fi commands so the module is not overwhelmed [S]. */
export const XYZ_WIFI_COMMAND_SPACING_MS = 3_000;
/** Settle window for TCP config/action commands, which get no reply (§7 item 2 "short settle delay") [G]. */
export const XYZ_TCP_SETTLE_MS = 500;
/** 1.1 Plus camera: budget for reading the JPEG bytes after the ack (miniMover) [C1]. */
export const XYZ_CAMERA_IMAGE_TIMEOUT_MS = 5_000;

// --- Polling (spec §3.4, §7A) ---
/** miniMover UI polls about twice a second over USB. */
export const XYZ_POLL_USB_UI_MS = 500;
/** miniMover console monitor: ~5 s over USB, ~20 s over Wi-Fi. */
export const XYZ_POLL_USB_MONITOR_MS = 5_000;
export const XYZ_POLL_WIFI_MONITOR_MS = 20_000;
/** §7A recommendation: every 1–2 s while printing, 5–10 s when idle [G]. */
export const XYZ_POLL_PRINTING_MIN_MS = 1_000;
export const XYZ_POLL_PRINTING_MAX_MS = 2_000;
export const XYZ_POLL_IDLE_MIN_MS = 5_000;
export const XYZ_POLL_IDLE_MAX_MS = 10_000;

// --- Busy back-off (spec §7 item 3) [G] ---
export const XYZ_BUSY_BACKOFF_MS: readonly number[] = [1_000, 2_000, 4_000];
export const XYZ_BUSY_MAX_TRIES = 5;

// --- v2 `XYZ_@3D:` protocol (spec §3A) ---
/** Wait for `OFFLINE_OK` after `XYZ_@3D:4`. */
export const XYZ_V2_OFFLINE_OK_TIMEOUT_MS = 5_000;
/** XYZware pauses this long after `XYZ_@3D:4` before reading. */
export const XYZ_V2_OFFLINE_READ_DELAY_MS = 200;
/** XYZware pauses this long after the `M1:` line. */
export const XYZ_V2_M1_DELAY_MS = 1_000;
