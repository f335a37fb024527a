import type { JobStatus, JobType } from '../../../schema/generated/types.ts';

export interface JobFields {
  id: string;
  type: JobType;
  status: JobStatus;
  owner: string;
  params: string | null;
  progress: number;
  message: string | null;
  result: string | null;
  error: string | null;
  createdAt: string;
  updatedAt: string;
}

export const FINISHED_STATUSES: readonly JobStatus[] = ['SUCCEEDED', 'FAILED', 'CANCELLED'];

export function isFinished(job: Pick<JobFields, 'status'>): boolean {
  return FINISHED_STATUSES.includes(job.status);
}

/**
 * The jobs list after one more sighting of a job (a mutation's answer, a subscription message, a
 * re-read), newest job first. Sightings arrive out of order — a re-read may answer after a newer
 * update — so an older `updatedAt` never replaces a newer one, and a finished job never goes
 * back to running.
 */
export function mergeJob(jobs: readonly JobFields[], job: JobFields): JobFields[] {
  const known = jobs.find((j) => j.id === job.id);
  if (known && (Date.parse(job.updatedAt) < Date.parse(known.updatedAt) || (isFinished(known) && !isFinished(job)))) return [...jobs];
  return [...jobs.filter((j) => j.id !== job.id), job].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || b.id.localeCompare(a.id));
}
