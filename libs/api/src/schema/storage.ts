import { z } from 'zod';
import { secretKeySelector } from './core.ts';
import { cel, goDuration, has, int32 } from './k8s.ts';

/** Every backend key of `storage`, in the order error messages list them. */
export const storageBackends = ['emptyDir', 's3', 'gcs', 'swift', 'pvc', 'azure', 'ibmcos', 'oss'] as const;
export type StorageBackend = (typeof storageBackends)[number];

const dnsName = '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*';
/** An object name, or empty for "use the default". */
const nameOrEmpty = () =>
  z
    .string()
    .max(253)
    .regex(new RegExp(`^$|^${dnsName}$`), 'must be empty or a lowercase DNS-1123 subdomain');

const s3CloudFront = z
  .object({
    baseURL: z
      .string()
      .describe(
        'The CloudFront distribution URL blobs are served from, e.g. https://d111111abcdef8.cloudfront.net.',
      ),
    privateKey: secretKeySelector.describe('The secret key holding the CloudFront key pair’s private key.'),
    keypairID: z.string().describe('The ID of the CloudFront key pair.'),
    duration: goDuration()
      .optional()
      .describe('How long signed CloudFront URLs stay valid, e.g. 20m (default 20m).'),
  })
  .describe('Serve blobs through Amazon CloudFront instead of directly from S3.');

const s3 = z
  .object({
    bucket: z
      .string()
      .optional()
      .describe('The bucket. Left empty, the operator generates a name and creates the bucket.'),
    region: z
      .string()
      .optional()
      .describe('The bucket’s region. Left empty, the cluster’s AWS region is used.'),
    regionEndpoint: z
      .string()
      .regex(/^https?:\/\/\S+$/, 'must be a URL with scheme, e.g. https://s3.example.com')
      .optional()
      .describe('The endpoint of an S3-compatible service, as a URL with scheme (https://s3.example.com).'),
    chunkSizeMiB: int32()
      .min(5)
      .max(5120)
      .optional()
      .describe(
        'The size in MiB of each part of a multipart upload, 5 to 5120. Left empty, the registry default (10) is used.',
      ),
    encrypt: z
      .boolean()
      .optional()
      .describe('Whether the registry asks S3 to encrypt the objects it writes.'),
    keyID: z
      .string()
      .optional()
      .describe('The AWS KMS key ID used for encryption; takes effect only with encrypt: true.'),
    cloudFront: s3CloudFront.optional(),
    virtualHostedStyle: z
      .boolean()
      .optional()
      .describe(
        'Address the bucket as <bucket>.<endpoint> instead of <endpoint>/<bucket>; only with a custom regionEndpoint.',
      ),
    trustedCA: z
      .object({
        name: nameOrEmpty()
          .optional()
          .describe(
            'A ConfigMap in openshift-config whose key ca-bundle.crt holds the CA bundle; empty uses the system trust.',
          ),
      })
      .optional()
      .describe('Extra CA certificates to trust when talking to the S3 endpoint.'),
  })
  .describe('Amazon S3 or an S3-compatible service.');

const gcs = z
  .object({
    bucket: z
      .string()
      .optional()
      .describe('The bucket. Left empty, the operator generates a name and creates the bucket.'),
    region: z
      .string()
      .optional()
      .describe('The bucket location. Left empty, the cluster’s GCP region is used.'),
    projectID: z
      .string()
      .optional()
      .describe('The project of the bucket. Left empty, the cluster’s GCP project is used.'),
    keyID: z
      .string()
      .optional()
      .describe('A Cloud KMS key name used as the default encryption key of a bucket the operator creates.'),
  })
  .describe('Google Cloud Storage.');

const swift = z
  .object({
    authURL: z.string().optional().describe('The Keystone authentication URL.'),
    authVersion: z.string().optional().describe('The Keystone API version, e.g. 3.'),
    container: z
      .string()
      .optional()
      .describe('The container. Left empty, the operator generates a name and creates it.'),
    domain: z.string().optional().describe('The Keystone domain name (v3 only).'),
    domainID: z.string().optional().describe('The Keystone domain ID (v3 only).'),
    tenant: z.string().optional().describe('The project (tenant) name.'),
    tenantID: z.string().optional().describe('The project (tenant) ID.'),
    regionName: z.string().optional().describe('The region of the object store.'),
  })
  .describe('OpenStack Swift. Values left empty are taken from the cluster’s clouds.yaml.');

const pvc = z
  .object({
    claim: nameOrEmpty()
      .optional()
      .describe(
        'The PersistentVolumeClaim in the operand namespace. Left empty, the operator creates image-registry-storage.',
      ),
  })
  .describe('A PersistentVolumeClaim mounted into the registry pods.');

const azureInternal = z
  .object({
    networkResourceGroupName: z
      .string()
      .min(1)
      .max(90)
      .regex(/^[0-9A-Za-z_.-](?:[0-9A-Za-z_.-]*[0-9A-Za-z_-])?$/)
      .optional()
      .describe(
        'The resource group of the virtual network. Left empty, the cluster’s network resource group is used.',
      ),
    vnetName: z
      .string()
      .min(2)
      .max(64)
      .regex(/^[0-9A-Za-z][0-9A-Za-z_.-]*[0-9A-Za-z_]$/)
      .optional()
      .describe(
        'The virtual network of the private endpoint. Left empty, the cluster’s virtual network is discovered.',
      ),
    subnetName: z
      .string()
      .min(1)
      .max(80)
      .regex(/^[0-9A-Za-z](?:[0-9A-Za-z_.-]*[0-9A-Za-z_])?$/)
      .optional()
      .describe(
        'The subnet of the private endpoint. Left empty, the first subnet of the virtual network is used.',
      ),
    privateEndpointName: z
      .string()
      .min(2)
      .max(64)
      .regex(/^[0-9A-Za-z][0-9A-Za-z_.-]*[0-9A-Za-z_]$/)
      .optional()
      .describe('The name of the private endpoint. Left empty, the operator generates one.'),
  })
  .describe('Where the private endpoint of the storage account is placed; only with type Internal.');

const azureNetworkAccess = cel(
  z.object({
    type: z
      .enum(['Internal', 'External'])
      .default('External')
      .describe(
        'External (default): the storage account is reached over the internet. Internal: through a private endpoint in the cluster’s virtual network.',
      ),
    internal: azureInternal.optional(),
  }),
  {
    rule: "has(self.type) && self.type == 'Internal' ?  true : !has(self.internal)",
    message: 'internal is forbidden when type is not Internal',
    check: (self) => self.type === 'Internal' || self.internal === undefined,
  },
);

const azure = z
  .object({
    accountName: z
      .string()
      .regex(/^$|^[a-z0-9]{3,24}$/, 'must be 3 to 24 lowercase letters and digits')
      .optional()
      .describe('The storage account. Left empty, the operator generates a name and creates the account.'),
    container: z
      .string()
      .min(3)
      .max(63)
      .regex(/^[0-9a-z]+(-[0-9a-z]+)*$/, 'must be lowercase letters, digits and single hyphens')
      .optional()
      .describe('The blob container. Left empty, the operator generates a name and creates it.'),
    cloudName: z
      .string()
      .optional()
      .describe(
        'The Azure environment, e.g. AzurePublicCloud or AzureUSGovernmentCloud. Left empty, taken from the cluster.',
      ),
    networkAccess: azureNetworkAccess
      .default({ type: 'External' })
      .describe('How the registry reaches the storage account.'),
  })
  .describe('Azure Blob Storage.');

const ibmcos = z
  .object({
    bucket: z
      .string()
      .optional()
      .describe('The bucket. Left empty, the operator generates a name and creates the bucket.'),
    location: z.string().optional().describe('The bucket location. Set by the operator from the cluster.'),
    resourceGroupName: z
      .string()
      .optional()
      .describe('The resource group of the service instance. Set by the operator from the cluster.'),
    resourceKeyCRN: z
      .string()
      .regex(
        /^crn:.+:.+:.+:cloud-object-storage:.+:.+:.+:resource-key:.+$/,
        'must be the CRN of a cloud-object-storage resource key',
      )
      .optional()
      .describe('The CRN of the resource key whose HMAC credentials the registry uses.'),
    serviceInstanceCRN: z
      .string()
      .regex(
        /^crn:.+:.+:.+:cloud-object-storage:.+:.+:.+::$/,
        'must be the CRN of a cloud-object-storage service instance',
      )
      .optional()
      .describe('The CRN of the Cloud Object Storage service instance.'),
  })
  .describe('IBM Cloud Object Storage.');

const ossEncryption = cel(
  z.object({
    method: z
      .enum(['KMS', 'AES256'])
      .default('AES256')
      .describe('AES256 (default): keys managed by OSS. KMS: a key from Alibaba KMS.'),
    kms: z
      .object({ keyID: z.string().min(1).describe('The ID of the KMS key.') })
      .optional()
      .describe('The KMS key; required with method KMS, forbidden otherwise.'),
  }),
  {
    rule: "self.method == 'KMS' ? has(self.kms) : !has(self.kms)",
    message: 'kms is required when method is KMS and forbidden otherwise',
    check: (self) => (self.method === 'KMS') === (self.kms !== undefined),
  },
);

const oss = z
  .object({
    bucket: z
      .string()
      .min(3)
      .max(63)
      .regex(/^[0-9a-z]+(-[0-9a-z]+)*$/, 'must be lowercase letters, digits and single hyphens')
      .optional()
      .describe('The bucket. Left empty, the operator generates a name and creates the bucket.'),
    region: z.string().optional().describe('The bucket region. Left empty, the cluster’s region is used.'),
    endpointAccessibility: z
      .enum(['Internal', 'Public', ''])
      .default('Internal')
      .describe('Internal (default) uses the region’s internal endpoint; Public the internet-facing one.'),
    encryption: ossEncryption.optional().describe('Server-side encryption of the bucket.'),
  })
  .describe('Alibaba Cloud Object Storage Service.');

/**
 * The registry's storage: exactly one backend (the CEL rule allows at most one so a spec being
 * filled in step by step is accepted; the storage controller reports a missing backend).
 */
export const storage = cel(
  z.object({
    emptyDir: z
      .object({})
      .optional()
      .describe(
        'Pod-local ephemeral storage. Images are lost when a pod restarts; for tests with one replica only.',
      ),
    s3: s3.optional(),
    gcs: gcs.optional(),
    swift: swift.optional(),
    pvc: pvc.optional(),
    azure: azure.optional(),
    ibmcos: ibmcos.optional(),
    oss: oss.optional(),
    managementState: z
      .enum(['Managed', 'Unmanaged'])
      .optional()
      .describe(
        'Managed: the operator created this storage and deletes it when the registry is Removed. Unmanaged: it is never deleted.',
      ),
  }),
  {
    rule: `size([${storageBackends.map((b) => `has(self.${b})`).join(', ')}].filter(b, b)) <= 1`,
    message: `at most one storage backend may be set (one of ${storageBackends.join(', ')})`,
    check: (self) => storageBackends.filter((b) => has(self, b)).length <= 1,
  },
);
export type Storage = z.infer<typeof storage>;
