import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Payloads captured from a real OctoPrint 1.11.8 (test/fixtures/octoprint/README.md says how). */
function loadSample(name: string): Record<string, unknown> {
  const url = new URL(`../../fixtures/octoprint/${name}`, import.meta.url);
  return JSON.parse(readFileSync(fileURLToPath(url), 'utf8')) as Record<string, unknown>;
}

export const samples1 = loadSample('octoprint-samples-1.json');
export const samples2 = loadSample('octoprint-samples-2.json');

/** Walks a captured object by keys; fails loudly when the capture lacks the part. */
export function pick(root: Record<string, unknown>, ...keys: string[]): unknown {
  let value: unknown = root;
  for (const key of keys) {
    if (typeof value !== 'object' || value === null || !(key in value)) {
      throw new Error(`sample has no ${keys.join('.')}`);
    }
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

export function record(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Error('not an object');
  return value as Record<string, unknown>;
}
