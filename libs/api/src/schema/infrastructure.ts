import { z } from 'zod';
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
  name: z.string().describe('The service, e.g. s3 or ec2.'),
  url: z.string().describe('The endpoint URL.'),
});
const tag = z.object({ key: z.string().describe('Tag key.'), value: z.string().describe('Tag value.') });

const platformStatus = z
  .looseObject({
    type: platformType
      .optional()
      .describe('The platform the cluster runs on; unknown platforms are treated as None.'),
    aws: z
      .looseObject({
        region: z.string().optional().describe('The AWS region.'),
        serviceEndpoints: atomicList(serviceEndpoint)
          .optional()
          .describe('Custom endpoints of AWS services.'),
        resourceTags: atomicList(tag)
          .max(25)
          .optional()
          .describe('Tags applied to every AWS resource the cluster creates.'),
      })
      .optional()
      .describe('AWS settings.'),
    azure: z
      .looseObject({
        resourceGroupName: z.string().optional().describe('The resource group of the cluster.'),
        networkResourceGroupName: z.string().optional().describe('The resource group of the network.'),
        cloudName: z
          .enum([
            '',
            'AzurePublicCloud',
            'AzureUSGovernmentCloud',
            'AzureChinaCloud',
            'AzureGermanCloud',
            'AzureStackCloud',
            'AzureUSSecCloud',
          ])
          .optional()
          .describe('The Azure environment.'),
        armEndpoint: z.string().optional().describe('The Azure Resource Manager endpoint (Azure Stack Hub).'),
        resourceTags: atomicList(tag)
          .max(10)
          .optional()
          .describe('Tags applied to every Azure resource the cluster creates.'),
      })
      .optional()
      .describe('Azure settings.'),
    gcp: z
      .looseObject({
        projectID: z.string().optional().describe('The GCP project.'),
        region: z.string().optional().describe('The GCP region.'),
        resourceLabels: atomicList(tag)
          .max(32)
          .optional()
          .describe('Labels applied to every GCP resource the cluster creates.'),
        resourceTags: atomicList(
          z.object({
            parentID: z.string().describe('The organization or project the tag key is defined in.'),
            key: z.string().describe('Tag key.'),
            value: z.string().describe('Tag value.'),
          }),
        )
          .max(50)
          .optional()
          .describe('Resource Manager tags bound to every GCP resource the cluster creates.'),
      })
      .optional()
      .describe('GCP settings.'),
    ibmcloud: z
      .looseObject({
        location: z.string().optional().describe('The IBM Cloud region.'),
        resourceGroupName: z.string().optional().describe('The resource group of the cluster.'),
        providerType: z.string().optional().describe('Classic, VPC or UPI.'),
        serviceEndpoints: atomicList(serviceEndpoint)
          .optional()
          .describe('Custom endpoints of IBM Cloud services.'),
      })
      .optional()
      .describe('IBM Cloud settings.'),
    powervs: z
      .looseObject({
        region: z.string().optional().describe('The Power VS region.'),
        zone: z.string().optional().describe('The Power VS zone.'),
        resourceGroup: z.string().optional().describe('The resource group of the cluster.'),
        serviceEndpoints: atomicList(serviceEndpoint)
          .optional()
          .describe('Custom endpoints of IBM Cloud services.'),
      })
      .optional()
      .describe('IBM Power Virtual Server settings.'),
    alibabaCloud: z
      .looseObject({
        region: z.string().optional().describe('The Alibaba Cloud region.'),
        resourceGroupID: z.string().optional().describe('The resource group of the cluster.'),
        resourceTags: atomicList(tag)
          .max(20)
          .optional()
          .describe('Tags applied to every Alibaba Cloud resource the cluster creates.'),
      })
      .optional()
      .describe('Alibaba Cloud settings.'),
    openstack: z
      .looseObject({
        cloudName: z.string().optional().describe('The entry in clouds.yaml the cluster uses.'),
      })
      .optional()
      .describe('OpenStack settings.'),
  })
  .describe('Platform-specific settings; only the member named by type is set.');

export const infrastructureSpec = z
  .looseObject({
    cloudConfig: z
      .object({
        key: z.string().optional().describe('The key holding the cloud provider configuration.'),
        name: z.string().optional().describe('The ConfigMap in openshift-config holding it.'),
      })
      .optional()
      .describe('The cloud provider configuration.'),
    platformSpec: z
      .looseObject({ type: platformType.optional().describe('The platform type.') })
      .optional()
      .describe('Platform settings chosen by the administrator.'),
  })
  .describe('Infrastructure settings chosen at installation.');

export const infrastructureStatus = z
  .looseObject({
    infrastructureName: z
      .string()
      .optional()
      .describe('A unique cluster name used to name and tag cloud resources, e.g. buckets.'),
    platform: platformType.optional().describe('Deprecated: use platformStatus.type.'),
    platformStatus: platformStatus.optional(),
    etcdDiscoveryDomain: z.string().optional().describe('Deprecated.'),
    apiServerURL: z.string().optional().describe('The URL clients use to reach the Kubernetes API.'),
    apiServerInternalURI: z
      .string()
      .optional()
      .describe('The URL components inside the cluster use to reach the Kubernetes API.'),
    controlPlaneTopology: z
      .enum(['HighlyAvailable', 'HighlyAvailableArbiter', 'SingleReplica', 'DualReplica', 'External'])
      .optional()
      .describe('How the control plane is laid out.'),
    infrastructureTopology: z
      .enum(['HighlyAvailable', 'SingleReplica'])
      .optional()
      .describe('How worker nodes are laid out; SingleReplica means components should run one replica.'),
    cpuPartitioning: z
      .enum(['None', 'AllNodes'])
      .optional()
      .describe('Whether nodes partition CPUs for workloads.'),
  })
  .describe('The platform the cluster was found to run on.');

export const infrastructure = kubernetesObject({
  apiVersion: configOpenShiftGroupVersion,
  kind: 'Infrastructure',
  spec: infrastructureSpec,
  status: infrastructureStatus,
});
export type Infrastructure = z.infer<typeof infrastructure>;
export type InfrastructureStatus = z.infer<typeof infrastructureStatus>;
