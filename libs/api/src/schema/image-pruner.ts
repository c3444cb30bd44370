import * as z from 'zod/mini';
import { affinity, resourceRequirements, toleration } from './core.ts';
import { goDuration, int32, int64, mapList, stringMap } from './k8s.ts';
import { kubernetesObject } from './meta.ts';
import { logLevel, operatorCondition } from './operator.ts';
import { imagePrunerGroupVersion, singletonName as clusterName } from '../names.ts';

export const imagePrunerSpec = z
  .object({
    schedule: z
      .optional(z.string())
      .check(
        z.describe(
          'When the prune job runs, in cron syntax. Left empty, it runs daily at midnight (0 0 * * *).',
        ),
      ),
    suspend: z.optional(z.boolean()).check(z.describe('Stop scheduling prune jobs; a running job finishes.')),
    keepTagRevisions: z
      .optional(z.int().check(z.minimum(0)))
      .check(z.describe('How many revisions of each image stream tag are kept (default 3).')),
    keepYoungerThan: z
      .optional(int64().check(z.minimum(0)))
      .check(
        z.describe('Deprecated: nanoseconds; use keepYoungerThanDuration, which wins when both are set.'),
      ),
    keepYoungerThanDuration: z
      .optional(goDuration())
      .check(z.describe('Images younger than this are never pruned, e.g. 60m (the default).')),
    resources: z
      .optional(resourceRequirements)
      .check(z.describe('CPU and memory of the prune job (default requests: 100m CPU, 256Mi memory).')),
    affinity: z.optional(affinity).check(z.describe('Scheduling constraints of the prune job pod.')),
    nodeSelector: z
      .optional(stringMap())
      .check(z.describe('Node labels the prune job pod must be scheduled on.')),
    tolerations: z.optional(z.array(toleration)).check(z.describe('Taints the prune job pod tolerates.')),
    successfulJobsHistoryLimit: z
      .optional(int32().check(z.minimum(0)))
      .check(z.describe('How many successful prune jobs are kept (default 3).')),
    failedJobsHistoryLimit: z
      .optional(int32().check(z.minimum(0)))
      .check(z.describe('How many failed prune jobs are kept (default 3).')),
    ignoreInvalidImageReferences: z
      .optional(z.boolean())
      .check(z.describe('Keep pruning when an image reference cannot be parsed instead of failing the job.')),
    logLevel: z
      ._default(logLevel, 'Normal')
      .check(z.describe('Log verbosity of the prune job: Normal (default), Debug, Trace or TraceAll.')),
  })
  .check(z.describe('When and how unused images are pruned.'));
export type ImagePrunerSpec = z.infer<typeof imagePrunerSpec>;

export const imagePrunerStatus = z
  .object({
    observedGeneration: z
      .optional(int64())
      .check(z.describe('The metadata.generation of the spec the pruner controller last acted on.')),
    // A map list (upstream: atomic), so the same apply helpers work as for Config.
    conditions: z
      .optional(mapList(operatorCondition, ['type']))
      .check(
        z.describe(
          'Available (the CronJob exists), Scheduled (jobs are being scheduled), Failed (the last job failed), Degraded.',
        ),
      ),
  })
  .check(z.describe('What the pruner controller observed.'));
export type ImagePrunerStatus = z.infer<typeof imagePrunerStatus>;

export const imagePruner = kubernetesObject({
  apiVersion: imagePrunerGroupVersion,
  kind: 'ImagePruner',
  spec: imagePrunerSpec,
  status: imagePrunerStatus,
  singleton: clusterName,
});
export type ImagePruner = z.infer<typeof imagePruner>;
export type ImagePrunerInput = z.input<typeof imagePruner>;
