/**
 * Bounds on stored message keys. SKISSM declares MAX_SKIPPED_MESSAGE_KEY_NODES = 8192 but never enforces it;
 * we enforce both a per-chain gap (a message that would need more skipped keys is rejected, so a forged
 * sequence number cannot make us derive millions of keys) and a total (oldest keys are evicted, so a
 * long-lived session cannot grow without bound).
 */
export const MAX_SKIPPED_KEYS_PER_CHAIN = 1000;
export const MAX_SKIPPED_KEYS_TOTAL = 2000;
/** uint32 header fields. */
export const MAX_SEQUENCE = 0xffffffff;
