import type * as z from 'zod/mini';
import { resources } from '../names.ts';
import type { ResourceName } from '../names.ts';
import { clusterOperator } from '../schema/cluster-operator.ts';
import { config } from '../schema/config.ts';
import { image } from '../schema/image.ts';
import { imagePruner } from '../schema/image-pruner.ts';
import { infrastructure } from '../schema/infrastructure.ts';
import { proxy } from '../schema/proxy.ts';
import { apiServer } from '../schema/apiserver.ts';
import { route } from '../schema/route.ts';
import { ingressConfig } from '../schema/ingress-config.ts';

export interface PrinterColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  jsonPath: string;
  description: string;
  /** 0: shown by `kubectl get`; 1: only with `-o wide`. */
  priority?: number;
}

export interface CrdDefinition {
  resource: ResourceName;
  singular: string;
  shortNames?: string[];
  /** What the kind is, for `kubectl explain`. */
  description: string;
  schema: z.core.$ZodType;
  printerColumns: PrinterColumn[];
}

const condition = (type: string) => `.status.conditions[?(@.type=="${type}")]`;
const age: PrinterColumn = {
  name: 'Age',
  type: 'date',
  jsonPath: '.metadata.creationTimestamp',
  description: 'How long ago the object was created.',
};

/** Every CRD we generate. On OpenShift only the imageregistry ones are ours; the rest exist already. */
export const crdDefinitions: readonly CrdDefinition[] = [
  {
    resource: 'config',
    singular: 'config',
    description:
      'Config holds the configuration of the cluster’s internal image registry and reports its state. ' +
      'There is exactly one, named cluster.',
    schema: config,
    printerColumns: [
      {
        name: 'Management',
        type: 'string',
        jsonPath: '.spec.managementState',
        description: 'Managed, Unmanaged or Removed.',
      },
      {
        name: 'Replicas',
        type: 'integer',
        jsonPath: '.spec.replicas',
        description: 'Desired registry pods.',
        priority: 1,
      },
      {
        name: 'Storage',
        type: 'string',
        jsonPath: `${condition('StorageExists')}.reason`,
        description: 'Whether the storage backend exists, as the storage controller reports it.',
      },
      {
        name: 'Available',
        type: 'string',
        jsonPath: `${condition('Available')}.status`,
        description: 'Whether the registry serves requests.',
      },
      {
        name: 'Progressing',
        type: 'string',
        jsonPath: `${condition('Progressing')}.status`,
        description: 'Whether a rollout is under way.',
      },
      {
        name: 'Degraded',
        type: 'string',
        jsonPath: `${condition('Degraded')}.status`,
        description: 'Whether the registry needs attention.',
      },
      age,
    ],
  },
  {
    resource: 'imagePruner',
    singular: 'imagepruner',
    description:
      'ImagePruner configures the job that periodically deletes unused images from the internal registry. ' +
      'There is exactly one, named cluster.',
    schema: imagePruner,
    printerColumns: [
      {
        name: 'Schedule',
        type: 'string',
        jsonPath: '.spec.schedule',
        description: 'When the prune job runs (cron syntax).',
      },
      {
        name: 'Suspend',
        type: 'boolean',
        jsonPath: '.spec.suspend',
        description: 'Whether scheduling is suspended.',
      },
      {
        name: 'Available',
        type: 'string',
        jsonPath: `${condition('Available')}.status`,
        description: 'Whether the prune CronJob exists.',
      },
      {
        name: 'Failed',
        type: 'string',
        jsonPath: `${condition('Failed')}.status`,
        description: 'Whether the last prune job failed.',
      },
      age,
    ],
  },
  {
    resource: 'clusterOperator',
    singular: 'clusteroperator',
    shortNames: ['co'],
    description: 'ClusterOperator reports the health and version of one cluster component in one place.',
    schema: clusterOperator,
    printerColumns: [
      {
        name: 'Version',
        type: 'string',
        jsonPath: '.status.versions[?(@.name=="operator")].version',
        description: 'The rolled-out version.',
      },
      {
        name: 'Available',
        type: 'string',
        jsonPath: `${condition('Available')}.status`,
        description: 'Whether the component works.',
      },
      {
        name: 'Progressing',
        type: 'string',
        jsonPath: `${condition('Progressing')}.status`,
        description: 'Whether a change is rolling out.',
      },
      {
        name: 'Degraded',
        type: 'string',
        jsonPath: `${condition('Degraded')}.status`,
        description: 'Whether the component needs attention.',
      },
      {
        name: 'Since',
        type: 'date',
        jsonPath: `${condition('Available')}.lastTransitionTime`,
        description: 'When Available last changed.',
      },
    ],
  },
  {
    resource: 'image',
    singular: 'image',
    description:
      'Image holds cluster-wide image settings (spec) and the internal registry’s hostnames (status). Named cluster.',
    schema: image,
    printerColumns: [
      {
        name: 'Internal',
        type: 'string',
        jsonPath: '.status.internalRegistryHostname',
        description: 'The registry’s in-cluster hostname.',
      },
      {
        name: 'External',
        type: 'string',
        jsonPath: '.status.externalRegistryHostnames[0]',
        description: 'The registry’s first external hostname.',
      },
      age,
    ],
  },
  {
    resource: 'infrastructure',
    singular: 'infrastructure',
    description: 'Infrastructure describes the platform the cluster runs on. Named cluster.',
    schema: infrastructure,
    printerColumns: [
      {
        name: 'Platform',
        type: 'string',
        jsonPath: '.status.platformStatus.type',
        description: 'The platform type.',
      },
      {
        name: 'Infrastructure',
        type: 'string',
        jsonPath: '.status.infrastructureName',
        description: 'The cluster’s infrastructure name.',
        priority: 1,
      },
      age,
    ],
  },
  {
    resource: 'proxy',
    singular: 'proxy',
    description: 'Proxy holds the cluster-wide egress proxy. Named cluster.',
    schema: proxy,
    printerColumns: [
      {
        name: 'HTTPS',
        type: 'string',
        jsonPath: '.status.httpsProxy',
        description: 'The effective HTTPS proxy.',
      },
      age,
    ],
  },
  {
    resource: 'apiserver',
    singular: 'apiserver',
    description: 'APIServer holds cluster-wide API server settings; the registry reads its TLS security profile. Named cluster.',
    schema: apiServer,
    printerColumns: [
      {
        name: 'TLSProfile',
        type: 'string',
        jsonPath: '.spec.tlsSecurityProfile.type',
        description: 'The TLS security profile (empty: Intermediate).',
      },
      age,
    ],
  },
  {
    resource: 'ingressConfig',
    singular: 'ingress',
    description:
      'Ingress holds the cluster-wide ingress settings, among them the apps domain of generated route hosts. Named cluster.',
    schema: ingressConfig,
    printerColumns: [
      {
        name: 'Domain',
        type: 'string',
        jsonPath: '.spec.domain',
        description: 'The apps domain.',
      },
      age,
    ],
  },
  {
    resource: 'route',
    singular: 'route',
    description:
      'Route exposes a Service under an external hostname through a router (OpenShift’s Route API).',
    schema: route,
    printerColumns: [
      {
        name: 'Host',
        type: 'string',
        jsonPath: '.status.ingress[0].host',
        description: 'The admitted hostname.',
      },
      {
        name: 'Admitted',
        type: 'string',
        jsonPath: '.status.ingress[0].conditions[?(@.type=="Admitted")].status',
        description: 'Whether the first router admitted the route.',
      },
      {
        name: 'Service',
        type: 'string',
        jsonPath: '.spec.to.name',
        description: 'The Service behind the route.',
      },
      {
        name: 'TLS',
        type: 'string',
        jsonPath: '.spec.tls.termination',
        description: 'TLS termination: edge, reencrypt or passthrough.',
      },
      age,
    ],
  },
];

export function crdName(definition: CrdDefinition): string {
  const r = resources[definition.resource];
  return `${r.plural}.${r.group}`;
}

/** `imageregistry.operator.openshift.io_configs.yaml`, like kubebuilder names its output. */
export function crdFileName(definition: CrdDefinition): string {
  const r = resources[definition.resource];
  return `${r.group}_${r.plural}.yaml`;
}
