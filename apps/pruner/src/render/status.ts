import type { DesiredCondition } from '@image-registry/conditions';

/** A Job as the status reads it (raw JSON from the cache). */
export interface JobView {
  metadata?: { name?: string; creationTimestamp?: string };
  status?: { conditions?: { type: string; status: string; reason?: string; message?: string }[] };
}

export interface PrunerStatusInput {
  /** Whether the CronJob exists after this pass's apply. */
  cronJobExists: boolean;
  suspended: boolean;
  /** Every Job labelled `created-by=image-pruner`. */
  jobs: readonly JobView[];
  /** The error of this pass's apply, if any. */
  syncError: string | undefined;
}

/** Values of `image_registry_operator_image_pruner_install_status`. */
export const installStatus = { missing: 0, suspended: 1, enabled: 2 } as const;

/** The newest Job (by creationTimestamp) that has any condition, i.e. has finished or is failing. */
export function latestFinishedJob(jobs: readonly JobView[]): JobView | undefined {
  let latest: JobView | undefined;
  let latestTime = Number.NEGATIVE_INFINITY;
  for (const job of jobs) {
    if ((job.status?.conditions ?? []).length === 0) continue;
    const t = Date.parse(job.metadata?.creationTimestamp ?? '');
    const time = Number.isFinite(t) ? t : Number.NEGATIVE_INFINITY;
    // Equal times (one-second resolution): the later name wins, so the choice does not depend on list order.
    if (!latest || time > latestTime || (time === latestTime && (job.metadata?.name ?? '') > (latest.metadata?.name ?? ''))) {
      latest = job;
      latestTime = time;
    }
  }
  return latest;
}

function cond(type: string, status: 'True' | 'False', reason: string, message: string): DesiredCondition {
  const c: DesiredCondition = { type, status, reason };
  if (message) c.message = message;
  return c;
}

/** ImagePruner `status.conditions` with upstream's reasons and messages (§10.4). */
export function prunerConditions(input: PrunerStatusInput): DesiredCondition[] {
  const failed = latestFinishedJob(input.jobs)?.status?.conditions?.find((c) => c.type === 'Failed');
  const conditions = [
    input.cronJobExists
      ? cond('Available', 'True', 'AsExpected', 'Pruner CronJob has been created')
      : cond('Available', 'False', 'Error', 'Pruner CronJob does not exist'),
    input.suspended
      ? cond('Scheduled', 'False', 'Suspended', 'The pruner job has been suspended')
      : cond('Scheduled', 'True', 'Scheduled', 'The pruner job has been scheduled'),
    failed
      ? cond('Failed', 'True', failed.reason ?? '', failed.message ?? '')
      : cond('Failed', 'False', 'Complete', 'Pruner completed successfully'),
  ];
  if (input.syncError !== undefined) conditions.push(cond('Degraded', 'True', 'SyncError', `Error: ${input.syncError}`));
  else if (failed) conditions.push(cond('Degraded', 'True', 'JobFailed', failed.message ?? ''));
  else conditions.push(cond('Degraded', 'False', 'AsExpected', ''));
  return conditions;
}

export function installStatusOf(input: Pick<PrunerStatusInput, 'cronJobExists' | 'suspended'>): number {
  if (!input.cronJobExists) return installStatus.missing;
  return input.suspended ? installStatus.suspended : installStatus.enabled;
}
