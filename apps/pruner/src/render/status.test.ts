import { describe, expect, it } from 'vitest';
import { installStatusOf, latestFinishedJob, prunerConditions, type JobView } from './status.ts';

const job = (name: string, created: string, conditions: NonNullable<JobView['status']>['conditions'] = []): JobView => ({
  metadata: { name, creationTimestamp: created },
  status: { conditions },
});
const failed = [{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' }];
const complete = [{ type: 'Complete', status: 'True' }];

describe('pruner status', () => {
  it('reports a healthy scheduled pruner as upstream does', () => {
    expect(prunerConditions({ cronJobExists: true, suspended: false, jobs: [], syncError: undefined })).toEqual([
      { type: 'Available', status: 'True', reason: 'AsExpected', message: 'Pruner CronJob has been created' },
      { type: 'Scheduled', status: 'True', reason: 'Scheduled', message: 'The pruner job has been scheduled' },
      { type: 'Failed', status: 'False', reason: 'Complete', message: 'Pruner completed successfully' },
      { type: 'Degraded', status: 'False', reason: 'AsExpected' },
    ]);
  });

  it('reports a suspended pruner and a missing CronJob', () => {
    const c = prunerConditions({ cronJobExists: false, suspended: true, jobs: [], syncError: undefined });
    expect(c[0]).toEqual({ type: 'Available', status: 'False', reason: 'Error', message: 'Pruner CronJob does not exist' });
    expect(c[1]).toEqual({ type: 'Scheduled', status: 'False', reason: 'Suspended', message: 'The pruner job has been suspended' });
  });

  it('copies the failure of the newest finished job into Failed and Degraded JobFailed', () => {
    const jobs = [job('a', '2026-01-01T00:00:00Z', complete), job('b', '2026-01-02T00:00:00Z', failed), job('c', '2026-01-03T00:00:00Z')];
    const c = prunerConditions({ cronJobExists: true, suspended: false, jobs, syncError: undefined });
    expect(c[2]).toEqual({ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' });
    expect(c[3]).toEqual({ type: 'Degraded', status: 'True', reason: 'JobFailed', message: 'Job has reached the specified backoff limit' });
  });

  it('forgets an old failure once a newer job completed', () => {
    const jobs = [job('b', '2026-01-02T00:00:00Z', failed), job('d', '2026-01-04T00:00:00Z', complete)];
    expect(latestFinishedJob(jobs)?.metadata?.name).toBe('d');
    expect(prunerConditions({ cronJobExists: true, suspended: false, jobs, syncError: undefined })[2]?.status).toBe('False');
  });

  it('reports an apply error as Degraded SyncError before a job failure', () => {
    const c = prunerConditions({ cronJobExists: true, suspended: false, jobs: [job('b', '2026-01-02T00:00:00Z', failed)], syncError: 'forbidden' });
    expect(c[3]).toEqual({ type: 'Degraded', status: 'True', reason: 'SyncError', message: 'Error: forbidden' });
  });

  it('gives the install status metric upstream values', () => {
    expect(installStatusOf({ cronJobExists: false, suspended: false })).toBe(0);
    expect(installStatusOf({ cronJobExists: true, suspended: true })).toBe(1);
    expect(installStatusOf({ cronJobExists: true, suspended: false })).toBe(2);
  });
});
