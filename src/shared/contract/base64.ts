import { z } from 'zod';

// Whole groups of four, padding only at the end: "YYYYY" (a stray fifth character) is not base64,
// though Node's lenient decoder would quietly drop it.
const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function isStrictBase64(text: string): boolean {
  return text.length % 4 === 0 && STRICT_BASE64.test(text);
}

/** A base64 field of a request: standard alphabet, padded, whole. */
export function base64Field(maxChars: number): z.ZodString {
  return z.string().min(1).max(maxChars).refine(isStrictBase64, 'must be base64 (A–Z, a–z, 0–9, + and /, padded with = to a multiple of 4 characters)');
}
