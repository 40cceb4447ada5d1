import { toBase64 } from './bytes';
import type { RandomSource } from './random';

/** session_id = standard padded base64 of 16 random bytes (SKISSM generate_uuid_str). */
export function generateSessionId(random: RandomSource): string {
  return toBase64(random(16));
}
