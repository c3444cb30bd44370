import * as z from 'zod/mini';
import { secretKeySelector } from './core.ts';
import { cel, goDuration, has, int32 } from './k8s.ts';

/** Every backend key of `storage`, in the order error messages list them. */
export const storageBackends = ['emptyDir', 's3', 'gcs', 'swift', 'pvc', 'azure', 'ibmcos', 'oss'] as const;
export type StorageBackend = (typeof storageBackends)[number];

const dnsName = '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*';
/** An Azure container or OSS bucket name: 3–63 lowercase letters, digits and single hyphens. */
const hyphenatedName = () =>
  z
    .string()
    .check(
      z.minLength(3),
      z.maxLength(63),
      z.regex(/^[0-9a-z]+(-[0-9a-z]+)*$/, 'must be lowercase letters, digits and single hyphens'),
    );
/** An object name, or empty for "use the default". */
const nameOrEmpty = () =>
  z
    .string()
    .check(
      z.maxLength(253),
      z.regex(new RegExp(`^$|^${dnsName}$`), 'must be empty or a lowercase DNS-1123 subdomain'),
    );

const s3CloudFront = z
  .object({
    baseURL: z
      .string()
      .check(
        z.describe(
          'The CloudFront distribution URL blobs are served from, e.g. https://d111111abcdef8.cloudfront.net.',
        ),
      ),
    privateKey: secretKeySelector.check(
      z.describe('The secret key holding the CloudFront key pair’s private key.'),
    ),
    keypairID: z.string().check(z.describe('The ID of the CloudFront key pair.')),
    duration: z
      .optional(goDuration())
      .check(z.describe('How long signed CloudFront URLs stay valid, e.g. 20m (default 20m).')),
  })
  .check(z.describe('Serve blobs through Amazon CloudFront instead of directly from S3.'));

const s3 = z
  .object({
    bucket: z
      .optional(z.string())
      .check(z.describe('The bucket. Left empty, the operator generates a name and creates the bucket.')),
    region: z
      .optional(z.string())
      .check(z.describe('The bucket’s region. Left empty, the cluster’s AWS region is used.')),
    regionEndpoint: z
      .optional(
        z
          .string()
          .check(z.regex(/^https?:\/\/\S+$/, 'must be a URL with scheme, e.g. https://s3.example.com')),
      )
      .check(
        z.describe(
          'The endpoint of an S3-compatible service, as a URL with scheme (https://s3.example.com).',
        ),
      ),
    chunkSizeMiB: z
      .optional(int32().check(z.minimum(5), z.maximum(5120)))
      .check(
        z.describe(
          'The size in MiB of each part of a multipart upload, 5 to 5120. Left empty, the registry default (10) is used.',
        ),
      ),
    encrypt: z
      .optional(z.boolean())
      .check(z.describe('Whether the registry asks S3 to encrypt the objects it writes.')),
    keyID: z
      .optional(z.string())
      .check(z.describe('The AWS KMS key ID used for encryption; takes effect only with encrypt: true.')),
    cloudFront: z.optional(s3CloudFront),
    virtualHostedStyle: z
      .optional(z.boolean())
      .check(
        z.describe(
          'Address the bucket as <bucket>.<endpoint> instead of <endpoint>/<bucket>; only with a custom regionEndpoint.',
        ),
      ),
    trustedCA: z
      .optional(
        z.object({
          name: z
            .optional(nameOrEmpty())
            .check(
              z.describe(
                'A ConfigMap in openshift-config whose key ca-bundle.crt holds the CA bundle; empty uses the system trust.',
              ),
            ),
        }),
      )
      .check(z.describe('Extra CA certificates to trust when talking to the S3 endpoint.')),
  })
  .check(z.describe('Amazon S3 or an S3-compatible service.'));

const gcs = z
  .object({
    bucket: z
      .optional(z.string())
      .check(z.describe('The bucket. Left empty, the operator generates a name and creates the bucket.')),
    region: z
      .optional(z.string())
      .check(z.describe('The bucket location. Left empty, the cluster’s GCP region is used.')),
    projectID: z
      .optional(z.string())
      .check(z.describe('The project of the bucket. Left empty, the cluster’s GCP project is used.')),
    keyID: z
      .optional(z.string())
      .check(
        z.describe(
          'A Cloud KMS key name used as the default encryption key of a bucket the operator creates.',
        ),
      ),
  })
  .check(z.describe('Google Cloud Storage.'));

const swift = z
  .object({
    authURL: z.optional(z.string()).check(z.describe('The Keystone authentication URL.')),
    authVersion: z.optional(z.string()).check(z.describe('The Keystone API version, e.g. 3.')),
    container: z
      .optional(z.string())
      .check(z.describe('The container. Left empty, the operator generates a name and creates it.')),
    domain: z.optional(z.string()).check(z.describe('The Keystone domain name (v3 only).')),
    domainID: z.optional(z.string()).check(z.describe('The Keystone domain ID (v3 only).')),
    tenant: z.optional(z.string()).check(z.describe('The project (tenant) name.')),
    tenantID: z.optional(z.string()).check(z.describe('The project (tenant) ID.')),
    regionName: z.optional(z.string()).check(z.describe('The region of the object store.')),
  })
  .check(z.describe('OpenStack Swift. Values left empty are taken from the cluster’s clouds.yaml.'));

const pvc = z
  .object({
    claim: z
      .optional(nameOrEmpty())
      .check(
        z.describe(
          'The PersistentVolumeClaim in the operand namespace. Left empty, the operator creates image-registry-storage.',
        ),
      ),
  })
  .check(z.describe('A PersistentVolumeClaim mounted into the registry pods.'));

const azureInternal = z
  .object({
    networkResourceGroupName: z
      .optional(
        z
          .string()
          .check(
            z.minLength(1),
            z.maxLength(90),
            z.regex(/^[0-9A-Za-z_.-](?:[0-9A-Za-z_.-]*[0-9A-Za-z_-])?$/),
          ),
      )
      .check(
        z.describe(
          'The resource group of the virtual network. Left empty, the cluster’s network resource group is used.',
        ),
      ),
    vnetName: z
      .optional(
        z
          .string()
          .check(z.minLength(2), z.maxLength(64), z.regex(/^[0-9A-Za-z][0-9A-Za-z_.-]*[0-9A-Za-z_]$/)),
      )
      .check(
        z.describe(
          'The virtual network of the private endpoint. Left empty, the cluster’s virtual network is discovered.',
        ),
      ),
    subnetName: z
      .optional(
        z
          .string()
          .check(z.minLength(1), z.maxLength(80), z.regex(/^[0-9A-Za-z](?:[0-9A-Za-z_.-]*[0-9A-Za-z_])?$/)),
      )
      .check(
        z.describe(
          'The subnet of the private endpoint. Left empty, the first subnet of the virtual network is used.',
        ),
      ),
    privateEndpointName: z
      .optional(
        z
          .string()
          .check(z.minLength(2), z.maxLength(64), z.regex(/^[0-9A-Za-z][0-9A-Za-z_.-]*[0-9A-Za-z_]$/)),
      )
      .check(z.describe('The name of the private endpoint. Left empty, the operator generates one.')),
  })
  .check(z.describe('Where the private endpoint of the storage account is placed; only with type Internal.'));

const azureNetworkAccess = cel(
  z.object({
    type: z
      ._default(z.enum(['Internal', 'External']), 'External')
      .check(
        z.describe(
          'External (default): the storage account is reached over the internet. Internal: through a private endpoint in the cluster’s virtual network.',
        ),
      ),
    internal: z.optional(azureInternal),
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
      .optional(
        z.string().check(z.regex(/^$|^[a-z0-9]{3,24}$/, 'must be 3 to 24 lowercase letters and digits')),
      )
      .check(
        z.describe('The storage account. Left empty, the operator generates a name and creates the account.'),
      ),
    container: z
      .optional(hyphenatedName())
      .check(z.describe('The blob container. Left empty, the operator generates a name and creates it.')),
    cloudName: z
      .optional(z.string())
      .check(
        z.describe(
          'The Azure environment, e.g. AzurePublicCloud or AzureUSGovernmentCloud. Left empty, taken from the cluster.',
        ),
      ),
    networkAccess: z
      ._default(azureNetworkAccess, { type: 'External' })
      .check(z.describe('How the registry reaches the storage account.')),
  })
  .check(z.describe('Azure Blob Storage.'));

const ibmcos = z
  .object({
    bucket: z
      .optional(z.string())
      .check(z.describe('The bucket. Left empty, the operator generates a name and creates the bucket.')),
    location: z
      .optional(z.string())
      .check(z.describe('The bucket location. Set by the operator from the cluster.')),
    resourceGroupName: z
      .optional(z.string())
      .check(z.describe('The resource group of the service instance. Set by the operator from the cluster.')),
    resourceKeyCRN: z
      .optional(
        z
          .string()
          .check(
            z.regex(
              /^crn:.+:.+:.+:cloud-object-storage:.+:.+:.+:resource-key:.+$/,
              'must be the CRN of a cloud-object-storage resource key',
            ),
          ),
      )
      .check(z.describe('The CRN of the resource key whose HMAC credentials the registry uses.')),
    serviceInstanceCRN: z
      .optional(
        z
          .string()
          .check(
            z.regex(
              /^crn:.+:.+:.+:cloud-object-storage:.+:.+:.+::$/,
              'must be the CRN of a cloud-object-storage service instance',
            ),
          ),
      )
      .check(z.describe('The CRN of the Cloud Object Storage service instance.')),
  })
  .check(z.describe('IBM Cloud Object Storage.'));

const ossEncryption = cel(
  z.object({
    method: z
      ._default(z.enum(['KMS', 'AES256']), 'AES256')
      .check(z.describe('AES256 (default): keys managed by OSS. KMS: a key from Alibaba KMS.')),
    kms: z
      .optional(z.object({ keyID: z.string().check(z.minLength(1), z.describe('The ID of the KMS key.')) }))
      .check(z.describe('The KMS key; required with method KMS, forbidden otherwise.')),
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
      .optional(hyphenatedName())
      .check(z.describe('The bucket. Left empty, the operator generates a name and creates the bucket.')),
    region: z
      .optional(z.string())
      .check(z.describe('The bucket region. Left empty, the cluster’s region is used.')),
    endpointAccessibility: z
      ._default(z.enum(['Internal', 'Public', '']), 'Internal')
      .check(
        z.describe('Internal (default) uses the region’s internal endpoint; Public the internet-facing one.'),
      ),
    encryption: z.optional(ossEncryption).check(z.describe('Server-side encryption of the bucket.')),
  })
  .check(z.describe('Alibaba Cloud Object Storage Service.'));

/**
 * The registry's storage: exactly one backend (the CEL rule allows at most one so a spec being
 * filled in step by step is accepted; the storage controller reports a missing backend).
 */
export const storage = cel(
  z.object({
    emptyDir: z
      .optional(z.object({}))
      .check(
        z.describe(
          'Pod-local ephemeral storage. Images are lost when a pod restarts; for tests with one replica only.',
        ),
      ),
    s3: z.optional(s3),
    gcs: z.optional(gcs),
    swift: z.optional(swift),
    pvc: z.optional(pvc),
    azure: z.optional(azure),
    ibmcos: z.optional(ibmcos),
    oss: z.optional(oss),
    managementState: z
      .optional(z.enum(['Managed', 'Unmanaged']))
      .check(
        z.describe(
          'Managed: the operator created this storage and deletes it when the registry is Removed. Unmanaged: it is never deleted.',
        ),
      ),
  }),
  {
    rule: `size([${storageBackends.map((b) => `has(self.${b})`).join(', ')}].filter(b, b)) <= 1`,
    message: `at most one storage backend may be set (one of ${storageBackends.join(', ')})`,
    check: (self) => storageBackends.filter((b) => has(self, b)).length <= 1,
  },
);
export type Storage = z.infer<typeof storage>;
