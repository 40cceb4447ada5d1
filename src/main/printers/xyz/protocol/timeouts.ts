/**
 * The time values the driver uses for talking to da Vinci printers, in milliseconds, as the spec
 * gives them. The codecs are timer-free; the driver owns the clock and uses these.
 * Tags in brackets are the spec's confidence tags; [G] values are recommendations, not facts.
 *
 * Only values the driver uses are kept. The spec lists more (XYZware's other per-command read
 * timeouts, miniMover's polling cadences and overall action bounds, Wi-Fi command spacing, the v2
 * pauses after `XYZ_@3D:4` and `M1:`); add them here, with their section, when code needs them.
 */

// --- XYZware per-command read timeouts [S] ---
/** `query=a` on nano / mini w / miniMaker. */
export const XYZ_QUERY_ALL_TIMEOUT_MS = 5_000;
/** `action=` first reply (all models). */
export const XYZ_ACTION_REPLY_TIMEOUT_MS = 500;
/** `config=` on other models also recommends 5 s for config in general [G]. */
export const XYZ_CONFIG_OTHER_MODELS_TIMEOUT_MS = 5_000;

// --- miniMover defaults [C] ---
/** miniMover's default wait for any reply, serial and socket. */
export const XYZ_DEFAULT_REPLY_TIMEOUT_MS = 5_000;
/** Minimum wait for the `ok` after one upload block (miniMover). */
export const XYZ_UPLOAD_BLOCK_TIMEOUT_MS = 5_000;
/** Upper wait for a block `ok` when the printer writes to its SD card [G]. */
export const XYZ_UPLOAD_BLOCK_SD_TIMEOUT_MS = 30_000;
/** Drain window for the optional `ok` lines after `uploadDidFinish` [G]. */
export const XYZ_UPLOAD_FINISH_DRAIN_MIN_MS = 2_000;

// --- Network ---
/** TCP connect wait (XYZware). */
export const XYZ_TCP_CONNECT_TIMEOUT_MS = 5_000;
/** Settle window for TCP config/action commands, which get no reply [G]. */
export const XYZ_TCP_SETTLE_MS = 500;
/** 1.1 Plus camera: budget for reading the JPEG bytes after the ack (miniMover) [C1]. */
export const XYZ_CAMERA_IMAGE_TIMEOUT_MS = 5_000;

// --- Polling ---
/** recommendation: every 1–2 s while printing, 5–10 s when idle (the lower ends) [G]. */
export const XYZ_POLL_PRINTING_MIN_MS = 1_000;
export const XYZ_POLL_IDLE_MIN_MS = 5_000;

// --- Busy back-off [G] ---
export const XYZ_BUSY_BACKOFF_MS: readonly number[] = [1_000, 2_000, 4_000];
export const XYZ_BUSY_MAX_TRIES = 5;

// --- v2 `XYZ_@3D:` protocol ---
/** Wait for `OFFLINE_OK` after `XYZ_@3D:4`. */
export const XYZ_V2_OFFLINE_OK_TIMEOUT_MS = 5_000;
