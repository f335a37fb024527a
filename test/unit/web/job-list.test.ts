import { describe, expect, it } from 'vitest';
import { mergeJob, type JobFields } from '../../../web/src/console/job-list.ts';

// The jobs list alone: sightings of jobs from startJob, onJobUpdate and myJobs re-reads, in
// whatever order they arrive.

function job(id: string, status: JobFields['status'], updatedAt: string, progress = 0, createdAt = '2030-01-01T10:00:00.000Z'): JobFields {
  return { id, type: 'REPRICE_EVENT', status, owner: 'trader', params: '{"eventId":"e1"}', progress, message: null, result: null, error: null, createdAt, updatedAt };
}

describe('mergeJob', () => {
  it('adds jobs newest first', () => {
    const older = job('a', 'QUEUED', '2030-01-01T10:00:00.000Z');
    const newer = job('b', 'QUEUED', '2030-01-01T11:00:00.000Z', 0, '2030-01-01T11:00:00.000Z');
    expect(mergeJob(mergeJob([], older), newer).map((j) => j.id)).toEqual(['b', 'a']);
  });

  it('replaces a job with a later sighting', () => {
    const jobs = mergeJob([], job('a', 'QUEUED', '2030-01-01T10:00:00.000Z'));
    const running = job('a', 'RUNNING', '2030-01-01T10:00:01.000Z', 0.5);
    expect(mergeJob(jobs, running)).toEqual([running]);
  });

  it('keeps the later sighting when an older one arrives after it (a slow re-read)', () => {
    const running = job('a', 'RUNNING', '2030-01-01T10:00:02.000Z', 0.75);
    expect(mergeJob([running], job('a', 'RUNNING', '2030-01-01T10:00:01.000Z', 0.25))).toEqual([running]);
  });

  it('never takes a finished job back to running, even at the same instant', () => {
    const done = job('a', 'SUCCEEDED', '2030-01-01T10:00:02.000Z', 1);
    expect(mergeJob([done], job('a', 'RUNNING', '2030-01-01T10:00:02.000Z', 0.75))).toEqual([done]);
    const cancelled = job('a', 'CANCELLED', '2030-01-01T10:00:03.000Z', 0.75);
    expect(mergeJob([done], cancelled)).toEqual([cancelled]);
  });
});
