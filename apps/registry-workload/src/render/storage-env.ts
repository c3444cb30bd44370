import type { V1EnvVar, V1Volume, V1VolumeMount } from '@kubernetes/client-node';
import type { AzureStorage, IBMCOSStorage, S3Storage, StorageConfig, SwiftStorage } from './config.ts';
import { InvalidConfigError } from './errors.ts';
import type { RegistryFlavour } from './flavour.ts';
import { normalizeDuration } from './go-duration.ts';
import { privateConfigurationSecretName } from './names.ts';
import { yamlScalar } from './yaml-scalar.ts';

/** What the registry needs to reach its storage: variables first in the pod, then volumes. */
export interface StorageRender {
  env: V1EnvVar[];
  volumes: V1Volume[];
  mounts: V1VolumeMount[];
}

export interface StorageInput {
  /** `Config.status.storage`, written by the storage app: the only source (never `spec.storage`). */
  storage: StorageConfig;
  flavour: RegistryFlavour;
  /** Keys present in Secret `image-registry-private-configuration` (secret variables are referenced only if present). */
  privateKeys: ReadonlySet<string>;
}

const backends = ['emptyDir', 's3', 'swift', 'gcs', 'ibmcos', 'pvc', 'azure', 'oss'] as const;
type Backend = (typeof backends)[number];
const backendNames: Record<Backend, string> = {
  emptyDir: 'EmptyDir',
  s3: 'S3',
  swift: 'Swift',
  gcs: 'GCS',
  ibmcos: 'IBMCOS',
  pvc: 'PVC',
  azure: 'Azure',
  oss: 'OSS',
};

const cloudCredentialsPath = '/var/run/secrets/cloud';
const registryRoot = '/registry';

/** The backends `status.storage` names, in upstream's order. */
export function configuredBackends(storage: StorageConfig | undefined): Backend[] {
  return backends.filter((b) => storage?.[b] !== undefined && storage[b] !== null);
}

function value(name: string, v: string | number | boolean): V1EnvVar {
  return { name, value: yamlScalar(v) };
}

function plain(name: string, v: string): V1EnvVar {
  return { name, value: v };
}

function fromPrivateSecret(name: string): V1EnvVar {
  return { name, valueFrom: { secretKeyRef: { name: privateConfigurationSecretName, key: name } } };
}

const privateConfigVolume = {
  volume: { name: privateConfigurationSecretName, secret: { secretName: privateConfigurationSecretName, optional: false } },
  mount: { name: privateConfigurationSecretName, mountPath: cloudCredentialsPath, readOnly: true },
};

/**
 * Where the S3 driver finds the shared-credentials file the storage app wrote (key `credentials`):
 * OpenShift's driver has a parameter for it; CNCF distribution reads it through the AWS SDK's
 * standard variable.
 */
function s3Credentials(flavour: RegistryFlavour): V1EnvVar[] {
  const file = `${cloudCredentialsPath}/credentials`;
  // The file may hold a web-identity profile (role_arn + web_identity_token_file, ADR 0005), which the
  // AWS SDK reads from the shared config file only: the same file serves as both.
  return flavour === 'openshift'
    ? [plain('REGISTRY_STORAGE_S3_CREDENTIALSCONFIGPATH', file)]
    : [plain('AWS_SHARED_CREDENTIALS_FILE', file), plain('AWS_CONFIG_FILE', file), plain('AWS_SDK_LOAD_CONFIG', 'true')];
}

function filesystem(claim: string | undefined): StorageRender {
  const volume: V1Volume =
    claim === undefined
      ? { name: 'registry-storage', emptyDir: {} }
      : { name: 'registry-storage', persistentVolumeClaim: { claimName: claim } };
  return {
    env: [value('REGISTRY_STORAGE', 'filesystem'), value('REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY', registryRoot)],
    volumes: [volume],
    mounts: [{ name: 'registry-storage', mountPath: registryRoot }],
  };
}

function cloudFrontMiddleware(cf: NonNullable<S3Storage['cloudFront']>): string {
  const duration = cf.duration ? normalizeDuration('status.storage.s3.cloudFront.duration', cf.duration) : '1200s';
  return [
    '- name: cloudfront',
    '  options:',
    `    baseurl: ${yamlScalar(cf.baseURL)}`,
    '    privatekey: /etc/docker/cloudfront/private.pem',
    `    keypairid: ${yamlScalar(cf.keypairID)}`,
    `    duration: ${duration}`,
    '    ipfilteredby: none',
  ].join('\n');
}

function s3(cfg: S3Storage, flavour: RegistryFlavour): StorageRender {
  if (!cfg.bucket) {
    throw new InvalidConfigError('status.storage.s3.bucket', 'empty: the storage app has not named the bucket yet');
  }
  const env: V1EnvVar[] = [];
  if (cfg.regionEndpoint) env.push(value('REGISTRY_STORAGE_S3_REGIONENDPOINT', cfg.regionEndpoint));
  if (cfg.keyID) env.push(value('REGISTRY_STORAGE_S3_KEYID', cfg.keyID));
  const chunk = cfg.chunkSizeMiB ?? 0;
  if (chunk >= 5 && chunk <= 5120) env.push(value('REGISTRY_STORAGE_S3_CHUNKSIZE', chunk * 1024 * 1024));
  env.push(
    value('REGISTRY_STORAGE', 's3'),
    value('REGISTRY_STORAGE_S3_BUCKET', cfg.bucket),
    value('REGISTRY_STORAGE_S3_REGION', cfg.region ?? ''),
    value('REGISTRY_STORAGE_S3_ENCRYPT', cfg.encrypt ?? false),
    value('REGISTRY_STORAGE_S3_FORCEPATHSTYLE', !(cfg.virtualHostedStyle ?? false)),
    ...s3Credentials(flavour),
  );
  // AWS serves dual-stack endpoints in every region; a custom endpoint (MinIO, Ceph) may not.
  if (!cfg.regionEndpoint) env.push(value('REGISTRY_STORAGE_S3_USEDUALSTACK', true));
  const volumes: V1Volume[] = [privateConfigVolume.volume];
  const mounts: V1VolumeMount[] = [privateConfigVolume.mount];
  if (cfg.cloudFront) {
    if (!cfg.cloudFront.privateKey.name) {
      throw new InvalidConfigError('status.storage.s3.cloudFront.privateKey.name', 'empty: name the Secret that holds the CloudFront private key in spec.storage.s3.cloudFront');
    }
    env.push(plain('REGISTRY_MIDDLEWARE_STORAGE', cloudFrontMiddleware(cfg.cloudFront)));
    volumes.push({
      name: 'registry-cloudfront',
      secret: {
        secretName: cfg.cloudFront.privateKey.name,
        items: [{ key: cfg.cloudFront.privateKey.key, path: 'private.pem' }],
        optional: false,
      },
    });
    mounts.push({ name: 'registry-cloudfront', mountPath: '/etc/docker/cloudfront', readOnly: true });
  }
  return { env, volumes, mounts };
}

/** A Google credential file that is not a service-account key (workload identity federation, ADR 0005). */
const gcsApplicationDefault = 'application_default_credentials.json';

function gcs(bucket: string | undefined, keys: ReadonlySet<string>): StorageRender {
  if (!bucket) {
    throw new InvalidConfigError('status.storage.gcs.bucket', 'empty: the storage app has not named the bucket yet');
  }
  // The registry's keyfile parameter takes service-account keys only; any other credential file is
  // handed to the Google libraries as Application Default Credentials.
  const adc = keys.has(gcsApplicationDefault) && !keys.has('REGISTRY_STORAGE_GCS_KEYFILE');
  return {
    env: [
      value('REGISTRY_STORAGE', 'gcs'),
      value('REGISTRY_STORAGE_GCS_BUCKET', bucket),
      adc
        ? plain('GOOGLE_APPLICATION_CREDENTIALS', `/gcs/${gcsApplicationDefault}`)
        : value('REGISTRY_STORAGE_GCS_KEYFILE', '/gcs/keyfile'),
    ],
    volumes: [
      {
        name: 'registry-storage-keyfile',
        secret: {
          secretName: privateConfigurationSecretName,
          items: [
            adc
              ? { key: gcsApplicationDefault, path: gcsApplicationDefault }
              : { key: 'REGISTRY_STORAGE_GCS_KEYFILE', path: 'keyfile' },
          ],
          optional: false,
        },
      },
    ],
    mounts: [{ name: 'registry-storage-keyfile', mountPath: '/gcs' }],
  };
}

// Azure environments by `cloudName`: blob endpoint suffix and Entra ID authority.
const azureClouds: Record<string, { realm: string; authority: string }> = {
  AzurePublicCloud: { realm: 'core.windows.net', authority: 'https://login.microsoftonline.com/' },
  AzureUSGovernmentCloud: { realm: 'core.usgovcloudapi.net', authority: 'https://login.microsoftonline.us/' },
  AzureChinaCloud: { realm: 'core.chinacloudapi.cn', authority: 'https://login.chinacloudapi.cn/' },
  AzureGermanCloud: { realm: 'core.cloudapi.de', authority: 'https://login.microsoftonline.de/' },
};

function azure(cfg: AzureStorage, flavour: RegistryFlavour, keys: ReadonlySet<string>): StorageRender {
  if (!cfg.accountName || !cfg.container) {
    throw new InvalidConfigError(
      'status.storage.azure',
      'accountName and container are needed: the storage app has not completed them yet',
    );
  }
  const cloud = cfg.cloudName ? azureClouds[cfg.cloudName] : azureClouds['AzurePublicCloud'];
  if (!cloud) {
    throw new InvalidConfigError(
      'status.storage.azure.cloudName',
      `${JSON.stringify(cfg.cloudName)} is not supported: use one of ${Object.keys(azureClouds).join(', ')}`,
    );
  }
  const env: V1EnvVar[] = [];
  const accountKey = keys.has('REGISTRY_STORAGE_AZURE_ACCOUNTKEY');
  if (accountKey) env.push(fromPrivateSecret('REGISTRY_STORAGE_AZURE_ACCOUNTKEY'));
  const identity = ['AZURE_CLIENT_ID', 'AZURE_TENANT_ID', 'AZURE_FEDERATED_TOKEN_FILE'].filter((k) => keys.has(k));
  if (!accountKey && identity.length > 0) {
    env.push(...identity.map(fromPrivateSecret), plain('AZURE_AUTHORITY_HOST', cloud.authority));
  }
  env.push(
    value('REGISTRY_STORAGE', 'azure'),
    value('REGISTRY_STORAGE_AZURE_CONTAINER', cfg.container),
    value('REGISTRY_STORAGE_AZURE_ACCOUNTNAME', cfg.accountName),
  );
  if (cfg.cloudName) env.push(value('REGISTRY_STORAGE_AZURE_REALM', cloud.realm));
  if (flavour === 'distribution') {
    env.push(value('REGISTRY_STORAGE_AZURE_CREDENTIALS_TYPE', accountKey ? 'shared_key' : 'default_credentials'));
  }
  return { env, volumes: [], mounts: [] };
}

const swiftSecretKeys = [
  'REGISTRY_STORAGE_SWIFT_USERNAME',
  'REGISTRY_STORAGE_SWIFT_PASSWORD',
  'REGISTRY_STORAGE_SWIFT_TOKENID',
  'REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALID',
  'REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALNAME',
  'REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALSECRET',
];

/** Appends `/v<version>` to an auth URL without a version path, as upstream does. */
function swiftAuthURL(raw: string, version: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch (err) {
    throw new InvalidConfigError('status.storage.swift.authURL', `${JSON.stringify(raw)} is not a URL`, {
      cause: err,
    });
  }
  if (/^\/v[123](\/|$)/.test(url.pathname)) return raw;
  if (url.pathname === '' || url.pathname === '/') return `${raw.replace(/\/$/, '')}/v${version}`;
  throw new InvalidConfigError(
    'status.storage.swift.authURL',
    `Incorrect Auth URL: ${url.pathname}: it must end in /v1, /v2 or /v3, or have no path`,
  );
}

function swift(cfg: SwiftStorage, flavour: RegistryFlavour, keys: ReadonlySet<string>): StorageRender {
  if (flavour !== 'openshift') {
    throw new InvalidConfigError(
      'status.storage.swift',
      'the CNCF distribution registry (v3) has no Swift driver: run registry-workload with --registry-flavour=openshift',
    );
  }
  if (!cfg.container || !cfg.authURL) {
    throw new InvalidConfigError(
      'status.storage.swift',
      'container and authURL are needed: the storage app has not completed them yet',
    );
  }
  const version = cfg.authVersion || '3';
  const env: V1EnvVar[] = [
    value('REGISTRY_STORAGE', 'swift'),
    value('REGISTRY_STORAGE_SWIFT_CONTAINER', cfg.container),
    value('REGISTRY_STORAGE_SWIFT_AUTHURL', swiftAuthURL(cfg.authURL, version)),
    ...swiftSecretKeys.filter((k) => keys.has(k)).map(fromPrivateSecret),
  ];
  const versionNumber = Number(version);
  env.push(value('REGISTRY_STORAGE_SWIFT_AUTHVERSION', Number.isInteger(versionNumber) ? versionNumber : version));
  const optional: [keyof SwiftStorage, string][] = [
    ['domain', 'DOMAIN'],
    ['domainID', 'DOMAINID'],
    ['tenant', 'TENANT'],
    ['tenantID', 'TENANTID'],
    ['regionName', 'REGION'],
  ];
  for (const [field, suffix] of optional) {
    const v = cfg[field];
    if (v) env.push(value(`REGISTRY_STORAGE_SWIFT_${suffix}`, v));
  }
  return { env, volumes: [], mounts: [] };
}

function ibmcos(cfg: IBMCOSStorage, flavour: RegistryFlavour): StorageRender {
  if (!cfg.bucket || !cfg.location) {
    throw new InvalidConfigError(
      'status.storage.ibmcos',
      'bucket and location are needed: the storage app has not completed them yet',
    );
  }
  return {
    env: [
      value('REGISTRY_STORAGE', 's3'),
      value('REGISTRY_STORAGE_S3_BUCKET', cfg.bucket),
      value('REGISTRY_STORAGE_S3_REGION', cfg.location),
      value('REGISTRY_STORAGE_S3_REGIONENDPOINT', `s3.${cfg.location}.cloud-object-storage.appdomain.cloud`),
      value('REGISTRY_STORAGE_S3_ENCRYPT', false),
      value('REGISTRY_STORAGE_S3_FORCEPATHSTYLE', true),
      value('REGISTRY_STORAGE_S3_USEDUALSTACK', false),
      ...s3Credentials(flavour),
    ],
    volumes: [privateConfigVolume.volume],
    mounts: [privateConfigVolume.mount],
  };
}

/**
 * The registry's storage variables and volumes for `status.storage` (upstream-inventory §7). Throws
 * InvalidConfigError for a storage this flavour cannot run.
 */
export function renderStorage(input: StorageInput): StorageRender {
  const { storage, flavour, privateKeys } = input;
  const found = configuredBackends(storage);
  if (found.length !== 1) {
    throw new InvalidConfigError(
      'status.storage',
      found.length === 0
        ? 'storage backend not configured: it names no backend'
        : `exactly one storage type should be configured at the same time, got ${found.length}: [${found.map((b) => backendNames[b]).join(' ')}]`,
    );
  }
  switch (found[0]) {
    case 'emptyDir':
      return filesystem(undefined);
    case 'pvc': {
      const claim = storage.pvc?.claim;
      if (!claim) {
        throw new InvalidConfigError('status.storage.pvc.claim', 'empty: the storage app has not named the claim yet');
      }
      return filesystem(claim);
    }
    case 's3':
      return s3(storage.s3 ?? {}, flavour);
    case 'gcs':
      return gcs(storage.gcs?.bucket, privateKeys);
    case 'azure':
      return azure(storage.azure ?? {}, flavour, privateKeys);
    case 'swift':
      return swift(storage.swift ?? {}, flavour, privateKeys);
    case 'ibmcos':
      return ibmcos(storage.ibmcos ?? {}, flavour);
    default:
      throw new InvalidConfigError('status.storage.oss', 'Alibaba OSS storage has no registry driver: choose another backend in spec.storage');
  }
}
