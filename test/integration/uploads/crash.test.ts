import { describe, expect, it } from 'vitest';
import { runCrashTest } from '../../support/uploads-crash';

describe('the upload queue survives kill -9', () => {
  it('delivers a 200-image job exactly once through 10 random SIGKILLs of the headless host', async () => {
    const lines: string[] = [];
    const outcome = await runCrashTest({ images: 200, rounds: 10, log: (l) => lines.push(l) });
    expect(outcome, lines.join('\n')).toMatchObject({
      images: 200,
      rounds: 10,
      lost: 0,
      duplicated: 0,
      mismatched: 0,
      serverJobs: 1,
      outboxEntries: 1,
      delivered: true,
    });
  }, 900_000); // a safety net only: the run itself stops when nothing moves for a minute
});
