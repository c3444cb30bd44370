import { z } from 'zod';
import { affinity, resourceRequirements, toleration } from './core.ts';
import { goDuration, int32, int64, mapList, stringMap } from './k8s.ts';
import { kubernetesObject } from './meta.ts';
import { logLevel, operatorCondition } from './operator.ts';
import { imagePrunerGroupVersion, singletonName as clusterName } from '../names.ts';

export const imagePrunerSpec = z
  .object({
    schedule: z
      .string()
      .optional()
      .describe(
        'When the prune job runs, in cron syntax. Left empty, it runs daily at midnight (0 0 * * *).',
      ),
    suspend: z.boolean().optional().describe('Stop scheduling prune jobs; a running job finishes.'),
    keepTagRevisions: z
      .int()
      .min(0)
      .optional()
      .describe('How many revisions of each image stream tag are kept (default 3).'),
    keepYoungerThan: int64()
      .min(0)
      .optional()
      .describe('Deprecated: nanoseconds; use keepYoungerThanDuration, which wins when both are set.'),
    keepYoungerThanDuration: goDuration()
      .optional()
      .describe('Images younger than this are never pruned, e.g. 60m (the default).'),
    resources: resourceRequirements
      .optional()
      .describe('CPU and memory of the prune job (default requests: 100m CPU, 256Mi memory).'),
    affinity: affinity.optional().describe('Scheduling constraints of the prune job pod.'),
    nodeSelector: stringMap().optional().describe('Node labels the prune job pod must be scheduled on.'),
    tolerations: z.array(toleration).optional().describe('Taints the prune job pod tolerates.'),
    successfulJobsHistoryLimit: int32()
      .min(0)
      .optional()
      .describe('How many successful prune jobs are kept (default 3).'),
    failedJobsHistoryLimit: int32()
      .min(0)
      .optional()
      .describe('How many failed prune jobs are kept (default 3).'),
    ignoreInvalidImageReferences: z
      .boolean()
      .optional()
      .describe('Keep pruning when an image reference cannot be parsed instead of failing the job.'),
    logLevel: logLevel
      .default('Normal')
      .describe('Log verbosity of the prune job: Normal (default), Debug, Trace or TraceAll.'),
  })
  .describe('When and how unused images are pruned.');
export type ImagePrunerSpec = z.infer<typeof imagePrunerSpec>;

export const imagePrunerStatus = z
  .object({
    observedGeneration: int64()
      .optional()
      .describe('The metadata.generation of the spec the pruner controller last acted on.'),
    // A map list (upstream: atomic), so the same apply helpers work as for Config.
    conditions: mapList(operatorCondition, ['type'])
      .optional()
      .describe(
        'Available (the CronJob exists), Scheduled (jobs are being scheduled), Failed (the last job failed), Degraded.',
      ),
  })
  .describe('What the pruner controller observed.');
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
