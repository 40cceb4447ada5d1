import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { METHOD_NAMES, EVENT_NAMES } from '../../../src/shared/contract';
import { REFERENCE_PATH, renderApiReference } from '../../../scripts/api-reference';

describe('WebSocket API reference', () => {
  it('is generated from the contract and up to date (run `npm run docs:api` after changing it)', () => {
    expect(readFileSync(REFERENCE_PATH, 'utf8')).toBe(renderApiReference());
  });

  it('documents every call and event', () => {
    const doc = renderApiReference();
    for (const m of METHOD_NAMES) expect(doc).toContain(`#### \`${m}\``);
    for (const e of EVENT_NAMES) expect(doc).toContain(`### \`${e}\``);
  });
});
