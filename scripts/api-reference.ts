import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { calls, events } from '../src/shared/contract';

/**
 * Writes docs/websocket-api-reference.md from the contract itself (zod → JSON Schema), so the
 * reference cannot drift from what main validates. `npm run docs:api`; a unit test checks it is current.
 */
export function renderApiReference(): string {
  const out: string[] = [
    '# WebSocket API reference',
    '',
    'Generated from `src/shared/contract/` by `npm run docs:api` — do not edit by hand. The frame format,',
    'authentication and error codes are in `websocket-api.md`. Each request is validated against the schema',
    'shown before it reaches a service; answers and events match theirs.',
    '',
    '## Calls',
    '',
  ];
  const byNamespace = new Map<string, string[]>();
  for (const name of Object.keys(calls).sort()) byNamespace.set(name.split('.')[0]!, [...(byNamespace.get(name.split('.')[0]!) ?? []), name]);
  for (const [namespace, names] of byNamespace) {
    out.push(`### ${namespace}`, '');
    for (const name of names) {
      const spec = calls[name as keyof typeof calls];
      out.push(`#### \`${name}\``, '', `Timeout: ${spec.timeoutMs / 1000} s.`, '');
      out.push('Request:', '', '```json', schema(spec.request, 'input'), '```', '');
      out.push('Answer (`value`):', '', '```json', schema(spec.response, 'output'), '```', '');
    }
  }
  out.push('## Events', '');
  for (const name of Object.keys(events).sort()) {
    const spec = events[name as keyof typeof events];
    out.push(`### \`${name}\``, '');
    if ('coalesceKey' in spec && spec.coalesceKey) out.push('Coalesced: only the latest payload per key is sent each tick.', '');
    out.push('```json', schema(spec.payload, 'output'), '```', '');
  }
  return out.join('\n');
}

function schema(type: z.ZodType, io: 'input' | 'output'): string {
  const json = z.toJSONSchema(type, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  delete json.$schema;
  return JSON.stringify(json, null, 2);
}

export const REFERENCE_PATH = path.resolve(__dirname, '../docs/websocket-api-reference.md');

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(__filename)) {
  writeFileSync(REFERENCE_PATH, renderApiReference());
  process.stdout.write(`wrote ${path.relative(process.cwd(), REFERENCE_PATH)}\n`);
}
