import { exportPriceHistory } from './export-price-history.ts';
import { JobFailure, type JobItem, type JobPorts, type JobSteps, type JobType } from './job.ts';
import { repriceEvent } from './reprice-event.ts';
import { settleMarket } from './settle-market.ts';

const STEPS: Record<JobType, (job: JobItem, ports: JobPorts) => JobSteps> = {
  REPRICE_EVENT: repriceEvent,
  SETTLE_MARKET: settleMarket,
  EXPORT_PRICE_HISTORY: exportPriceHistory,
};

export type JobPatch = Partial<Pick<JobItem, 'status' | 'progress' | 'message' | 'result' | 'error'>>;

/** The job item's life cycle, implemented by the job-runner over DynamoDB and AppSync. */
export interface JobLifecycle {
  /**
   * QUEUED (or RUNNING, when a failed invocation is retried) → RUNNING, unless a cancel was
   * requested or the job already ended; the claimed item, or undefined.
   */
  claim(job: JobItem): Promise<JobItem | undefined>;
  /** Writes the patch and returns the whole item as stored after it. */
  update(jobId: string, patch: JobPatch): Promise<JobItem>;
  /** A strongly consistent read of the item: how the runner sees a cancelJob that landed meanwhile. */
  read(jobId: string): Promise<JobItem | undefined>;
  /** publishJobUpdate; a failure is logged by the caller and does not fail the job. */
  publish(job: JobItem): Promise<void>;
  log(level: 'INFO' | 'WARN' | 'ERROR', message: string, details?: Record<string, unknown>): void;
}

/**
 * Runs a job: RUNNING, then each step (progress and message written and published after
 * it), then SUCCEEDED with the result, FAILED with the error, or CANCELLED when the item,
 * re-read after each step, has `cancelRequested`. Cancellation is honoured between steps, never
 * inside one. Returns the final item, or undefined when the job was not claimable.
 */
export async function runJob(job: JobItem, lifecycle: JobLifecycle, ports: JobPorts): Promise<JobItem | undefined> {
  const claimed = await lifecycle.claim(job);
  if (!claimed) {
    lifecycle.log('INFO', `job ${job.id} not run: it is no longer QUEUED or its cancellation was requested`, { jobId: job.id });
    return undefined;
  }
  await publish(lifecycle, claimed);

  let steps: JobSteps | undefined;
  try {
    const stepsOf = STEPS[claimed.type];
    if (!stepsOf) throw new JobFailure(`unknown job type ${JSON.stringify(claimed.type)}; expected one of ${Object.keys(STEPS).join(', ')}`);
    steps = stepsOf(claimed, ports);
    let completed = 0;
    for (;;) {
      const next = await steps.next();
      if (next.done) {
        return await finish(lifecycle, claimed.id, { status: 'SUCCEEDED', progress: 1, message: `done after ${completed} step(s)`, result: JSON.stringify(next.value) });
      }
      completed += 1;
      await publish(lifecycle, await lifecycle.update(claimed.id, { progress: next.value.progress, message: next.value.message }));
      if ((await lifecycle.read(claimed.id))?.cancelRequested) {
        await steps.return(undefined);
        return await finish(lifecycle, claimed.id, { status: 'CANCELLED', message: `cancelled after step ${completed}: ${next.value.message}` });
      }
    }
  } catch (error) {
    const reason = error instanceof JobFailure ? error.message : `internal error: ${(error as Error).message ?? String(error)}`;
    lifecycle.log(error instanceof JobFailure ? 'WARN' : 'ERROR', `job ${claimed.id} (${claimed.type}) failed: ${reason}`, { jobId: claimed.id });
    return await finish(lifecycle, claimed.id, { status: 'FAILED', error: reason, message: 'failed' });
  }
}

async function finish(lifecycle: JobLifecycle, jobId: string, patch: JobPatch): Promise<JobItem> {
  const final = await lifecycle.update(jobId, patch);
  await publish(lifecycle, final);
  return final;
}

async function publish(lifecycle: JobLifecycle, job: JobItem): Promise<void> {
  try {
    await lifecycle.publish(job);
  } catch (error) {
    // The item is the record of truth (Query.job); a subscriber that missed this update sees it there.
    lifecycle.log('WARN', `publishJobUpdate for job ${job.id} failed: ${(error as Error).message}`, { jobId: job.id, status: job.status });
  }
}
