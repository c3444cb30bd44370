import { Resources, type Informer, type KubeObject, type Manager } from '@image-registry/controller-runtime';
import type { PrunerSetup } from './flags.ts';
import {
  clusterRoleBindingName,
  clusterRoleName,
  cronJobName,
  jobLabelKey,
  networkPolicyName,
  prunerName,
  registryDeploymentName,
  serviceAccountName,
  serviceCAConfigMapName,
} from './render/names.ts';
import {
  ConfigResource,
  ImageConfigResource,
  ImagePrunerResource,
  JobResource,
  type ConfigObject,
  type ImageConfigObject,
  type ImagePrunerObject,
  type JobObject,
} from './resources.ts';

/** The informers the reconcile reads, each narrowed to the objects it needs. */
export interface PrunerCaches {
  pruner: Informer<ImagePrunerObject>;
  config: Informer<ConfigObject>;
  /** Absent where images.config.openshift.io is not served: the registry then has no hostname. */
  imageConfig: Informer<ImageConfigObject> | undefined;
  jobs: Informer<JobObject>;
  /** The registry Deployment (our job flavour only): its image and storage volumes go into the job. */
  registryDeployment: Informer<KubeObject> | undefined;
  cronJob: Informer<KubeObject>;
  /** The operand namespace: always there, so the first reconcile (the bootstrap) happens even when nothing else exists. */
  namespace: Informer<KubeObject>;
  /** Every object the app applies (the CronJob included): an edit or delete brings the reconcile. */
  owned: Informer<KubeObject>[];
}

const byName = (name: string) => ({ fieldSelector: `metadata.name=${name}` });

export function prunerCaches(mgr: Manager, setup: PrunerSetup & { hasImageConfig: boolean }): PrunerCaches {
  const ns = setup.namespace;
  const cronJob = mgr.informer(Resources.CronJob, { namespace: ns, ...byName(cronJobName) });
  const owned: Informer<KubeObject>[] = [
    cronJob,
    mgr.informer(Resources.ClusterRole, byName(clusterRoleName)),
    mgr.informer(Resources.ClusterRoleBinding, byName(clusterRoleBindingName)),
    mgr.informer(Resources.ServiceAccount, { namespace: ns, ...byName(serviceAccountName) }),
    mgr.informer(Resources.NetworkPolicy, { namespace: ns, ...byName(networkPolicyName) }),
  ];
  if (setup.applyServiceCA) owned.push(mgr.informer(Resources.ConfigMap, { namespace: ns, ...byName(serviceCAConfigMapName) }));
  if (setup.flavour === 'registry-api') {
    owned.push(
      mgr.informer(Resources.Role, { namespace: ns, ...byName(cronJobName) }),
      mgr.informer(Resources.RoleBinding, { namespace: ns, ...byName(cronJobName) }),
    );
  }
  return {
    pruner: mgr.informer(ImagePrunerResource, byName(prunerName)),
    config: mgr.informer(ConfigResource, byName(prunerName)),
    imageConfig: setup.hasImageConfig ? mgr.informer(ImageConfigResource, byName(prunerName)) : undefined,
    jobs: mgr.informer(JobResource, { namespace: ns, labelSelector: `${jobLabelKey}=${cronJobName}` }),
    registryDeployment:
      setup.flavour === 'registry-api' ? mgr.informer(Resources.Deployment, { namespace: ns, ...byName(registryDeploymentName) }) : undefined,
    cronJob,
    namespace: mgr.informer(Resources.Namespace, byName(ns)),
    owned,
  };
}
