import { JobFailure, type JobItem } from './job.ts';

/** A job's params (an AWSJSON string) as an object; JobFailure naming the problem otherwise. */
export function parseParams(job: Pick<JobItem, 'type' | 'params'>): Record<string, unknown> {
  if (job.params === undefined || job.params === null || job.params === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(job.params);
  } catch (error) {
    throw new JobFailure(`${job.type} params must be a JSON object: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new JobFailure(`${job.type} params must be a JSON object, got ${job.params}`);
  return parsed as Record<string, unknown>;
}

export function requiredString(params: Record<string, unknown>, name: string, type: string): string {
  const value = params[name];
  if (typeof value !== 'string' || value === '') throw new JobFailure(`${type} needs params.${name}, a non-empty string; got ${JSON.stringify(value)}`);
  return value;
}

export function optionalDateTime(params: Record<string, unknown>, name: string, type: string): string | undefined {
  const value = params[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) throw new JobFailure(`${type} params.${name} must be an ISO date-time such as 2026-05-01T00:00:00Z; got ${JSON.stringify(value)}`);
  return value;
}

export function requiredStringList(params: Record<string, unknown>, name: string, type: string): string[] {
  const value = params[name];
  if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === 'string' && v !== '')) {
    throw new JobFailure(`${type} needs params.${name}, a non-empty list of ids; got ${JSON.stringify(value)}`);
  }
  return value as string[];
}
