import type { JobTarget } from './job-params.ts';

/** What startJob's functions share through ctx.stash. */
export interface StartJobStash {
  target?: JobTarget;
}

/** How long a job item lives in JobsTable (its TTL). */
export const JOB_TTL_DAYS = 30;
