import { z } from 'zod';
import { JobInfo, ProgressInfo } from './common';

/** `GET /api/job`: the same job/progress models as the socket; `state` is the state text. */
export const JobResponse = z.object({
  job: JobInfo,
  progress: ProgressInfo,
  state: z.string(),
  error: z.string().nullish(),
});
export type JobResponse = z.infer<typeof JobResponse>;

/**
 * `POST /api/job` -> 204. `start` prints the selected file and is 409 while a job is active,
 * including the ~1–2 s of "Finishing" after PrintDone [verified]. `restart` only when Paused.
 */
export const JobCommand = z.discriminatedUnion('command', [
  z.object({ command: z.literal('start') }),
  z.object({ command: z.literal('cancel') }),
  z.object({ command: z.literal('restart') }),
  z.object({
    command: z.literal('pause'),
    /** Omitted means "toggle" on the server; the connector should always say what it means. */
    action: z.enum(['pause', 'resume', 'toggle']).optional(),
  }),
]);
export type JobCommand = z.infer<typeof JobCommand>;
