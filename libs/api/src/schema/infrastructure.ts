import * as z from 'zod/mini';
import { atomicList } from './k8s.ts';
import { kubernetesObject } from './meta.ts';
import { configOpenShiftGroupVersion } from '../names.ts';

/**
 * The subset of Infrastructure the apps read: platform type, region-like settings for storage defaults,
 * cluster name and topology. Every object here keeps unknown fields, so objects copied from an OpenShift
 * cluster round-trip; on OpenShift the real CRD is installed instead of ours.
 */

export const platformTypes = [
  '',
  'AWS',
  'Azure',
  'BareMetal',
  'GCP',
  'Libvirt',
  'OpenStack',
  'None',
  'VSphere',
  'oVirt',
  'IBMCloud',
  'KubeVirt',
  'EquinixMetal',
  'PowerVS',
  'AlibabaCloud',
  'Nutanix',
  'External',
] as const;
export type PlatformType = (typeof platformTypes)[number];

const platformType = z.enum(platformTypes);

const serviceEndpoint = z.object({
  name: z.string().check(z.describe('The service, e.g. s3 or ec2.')),
  url: z.string().check(z.describe('The endpoint URL.')),
});
const tag = z.object({
  key: z.string().check(z.describe('Tag key.')),
  value: z.string().check(z.describe('Tag value.')),
});

const platformStatus = z
  .looseObject({
    type: z
      .optional(platformType)
      .check(z.describe('The platform the cluster runs on; unknown platforms are treated as None.')),
    aws: z
      .optional(
        z.looseObject({
          region: z.optional(z.string()).check(z.describe('The AWS region.')),
          serviceEndpoints: z
            .optional(atomicList(serviceEndpoint))
            .check(z.describe('Custom endpoints of AWS services.')),
          resourceTags: z
            .optional(atomicList(tag).check(z.maxLength(25)))
            .check(z.describe('Tags applied to every AWS resource the cluster creates.')),
        }),
      )
      .check(z.describe('AWS settings.')),
    azure: z
      .optional(
        z.looseObject({
          resourceGroupName: z.optional(z.string()).check(z.describe('The resource group of the cluster.')),
          networkResourceGroupName: z
            .optional(z.string())
            .check(z.describe('The resource group of the network.')),
          cloudName: z
            .optional(
              z.enum([
                '',
                'AzurePublicCloud',
                'AzureUSGovernmentCloud',
                'AzureChinaCloud',
                'AzureGermanCloud',
                'AzureStackCloud',
                'AzureUSSecCloud',
              ]),
            )
            .check(z.describe('The Azure environment.')),
          armEndpoint: z
            .optional(z.string())
            .check(z.describe('The Azure Resource Manager endpoint (Azure Stack Hub).')),
          resourceTags: z
            .optional(atomicList(tag).check(z.maxLength(10)))
            .check(z.describe('Tags applied to every Azure resource the cluster creates.')),
        }),
      )
      .check(z.describe('Azure settings.')),
    gcp: z
      .optional(
        z.looseObject({
          projectID: z.optional(z.string()).check(z.describe('The GCP project.')),
          region: z.optional(z.string()).check(z.describe('The GCP region.')),
          resourceLabels: z
            .optional(atomicList(tag).check(z.maxLength(32)))
            .check(z.describe('Labels applied to every GCP resource the cluster creates.')),
          resourceTags: z
            .optional(
              atomicList(
                z.object({
                  parentID: z
                    .string()
                    .check(z.describe('The organization or project the tag key is defined in.')),
                  key: z.string().check(z.describe('Tag key.')),
                  value: z.string().check(z.describe('Tag value.')),
                }),
              ).check(z.maxLength(50)),
            )
            .check(z.describe('Resource Manager tags bound to every GCP resource the cluster creates.')),
        }),
      )
      .check(z.describe('GCP settings.')),
    ibmcloud: z
      .optional(
        z.looseObject({
          location: z.optional(z.string()).check(z.describe('The IBM Cloud region.')),
          resourceGroupName: z.optional(z.string()).check(z.describe('The resource group of the cluster.')),
          providerType: z.optional(z.string()).check(z.describe('Classic, VPC or UPI.')),
          serviceEndpoints: z
            .optional(atomicList(serviceEndpoint))
            .check(z.describe('Custom endpoints of IBM Cloud services.')),
        }),
      )
      .check(z.describe('IBM Cloud settings.')),
    powervs: z
      .optional(
        z.looseObject({
          region: z.optional(z.string()).check(z.describe('The Power VS region.')),
          zone: z.optional(z.string()).check(z.describe('The Power VS zone.')),
          resourceGroup: z.optional(z.string()).check(z.describe('The resource group of the cluster.')),
          serviceEndpoints: z
            .optional(atomicList(serviceEndpoint))
            .check(z.describe('Custom endpoints of IBM Cloud services.')),
        }),
      )
      .check(z.describe('IBM Power Virtual Server settings.')),
    alibabaCloud: z
      .optional(
        z.looseObject({
          region: z.optional(z.string()).check(z.describe('The Alibaba Cloud region.')),
          resourceGroupID: z.optional(z.string()).check(z.describe('The resource group of the cluster.')),
          resourceTags: z
            .optional(atomicList(tag).check(z.maxLength(20)))
            .check(z.describe('Tags applied to every Alibaba Cloud resource the cluster creates.')),
        }),
      )
      .check(z.describe('Alibaba Cloud settings.')),
    openstack: z
      .optional(
        z.looseObject({
          cloudName: z.optional(z.string()).check(z.describe('The entry in clouds.yaml the cluster uses.')),
        }),
      )
      .check(z.describe('OpenStack settings.')),
  })
  .check(z.describe('Platform-specific settings; only the member named by type is set.'));

export const infrastructureSpec = z
  .looseObject({
    cloudConfig: z
      .optional(
        z.object({
          key: z.optional(z.string()).check(z.describe('The key holding the cloud provider configuration.')),
          name: z.optional(z.string()).check(z.describe('The ConfigMap in openshift-config holding it.')),
        }),
      )
      .check(z.describe('The cloud provider configuration.')),
    platformSpec: z
      .optional(z.looseObject({ type: z.optional(platformType).check(z.describe('The platform type.')) }))
      .check(z.describe('Platform settings chosen by the administrator.')),
  })
  .check(z.describe('Infrastructure settings chosen at installation.'));

export const infrastructureStatus = z
  .looseObject({
    infrastructureName: z
      .optional(z.string())
      .check(z.describe('A unique cluster name used to name and tag cloud resources, e.g. buckets.')),
    platform: z.optional(platformType).check(z.describe('Deprecated: use platformStatus.type.')),
    platformStatus: z.optional(platformStatus),
    etcdDiscoveryDomain: z.optional(z.string()).check(z.describe('Deprecated.')),
    apiServerURL: z
      .optional(z.string())
      .check(z.describe('The URL clients use to reach the Kubernetes API.')),
    apiServerInternalURI: z
      .optional(z.string())
      .check(z.describe('The URL components inside the cluster use to reach the Kubernetes API.')),
    controlPlaneTopology: z
      .optional(
        z.enum(['HighlyAvailable', 'HighlyAvailableArbiter', 'SingleReplica', 'DualReplica', 'External']),
      )
      .check(z.describe('How the control plane is laid out.')),
    infrastructureTopology: z
      .optional(z.enum(['HighlyAvailable', 'SingleReplica']))
      .check(
        z.describe('How worker nodes are laid out; SingleReplica means components should run one replica.'),
      ),
    cpuPartitioning: z
      .optional(z.enum(['None', 'AllNodes']))
      .check(z.describe('Whether nodes partition CPUs for workloads.')),
  })
  .check(z.describe('The platform the cluster was found to run on.'));

export const infrastructure = kubernetesObject({
  apiVersion: configOpenShiftGroupVersion,
  kind: 'Infrastructure',
  spec: infrastructureSpec,
  status: infrastructureStatus,
});
export type Infrastructure = z.infer<typeof infrastructure>;
export type InfrastructureStatus = z.infer<typeof infrastructureStatus>;
