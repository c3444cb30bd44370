import { describe, expect, it } from 'vitest';
import { InvalidConfigError } from './errors.ts';
import { renderStorage } from './storage-env.ts';

const none = new Set<string>();

function envMap(env: { name: string; value?: string }[]): Record<string, string | undefined> {
  return Object.fromEntries(env.map((e) => [e.name, e.value]));
}

describe('renderStorage', () => {
  it('stores on an emptyDir mounted at /registry for emptyDir', () => {
    const r = renderStorage({ storage: { emptyDir: {} }, flavour: 'distribution', privateKeys: none });
    expect(r.env).toEqual([
      { name: 'REGISTRY_STORAGE', value: 'filesystem' },
      { name: 'REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY', value: '/registry' },
    ]);
    expect(r.volumes).toEqual([{ name: 'registry-storage', emptyDir: {} }]);
    expect(r.mounts).toEqual([{ name: 'registry-storage', mountPath: '/registry' }]);
  });

  it('mounts the claim named in status.storage.pvc', () => {
    const r = renderStorage({ storage: { pvc: { claim: 'image-registry-storage' } }, flavour: 'openshift', privateKeys: none });
    expect(r.volumes).toEqual([{ name: 'registry-storage', persistentVolumeClaim: { claimName: 'image-registry-storage' } }]);
  });

  it('renders S3 variables in upstream order with the credentials file for the openshift flavour', () => {
    const r = renderStorage({
      storage: { s3: { bucket: 'b', region: 'us-east-1', encrypt: true, keyID: 'testKey', chunkSizeMiB: 10 } },
      flavour: 'openshift',
      privateKeys: none,
    });
    expect(r.env).toEqual([
      { name: 'REGISTRY_STORAGE_S3_KEYID', value: 'testKey' },
      { name: 'REGISTRY_STORAGE_S3_CHUNKSIZE', value: '10485760' },
      { name: 'REGISTRY_STORAGE', value: 's3' },
      { name: 'REGISTRY_STORAGE_S3_BUCKET', value: 'b' },
      { name: 'REGISTRY_STORAGE_S3_REGION', value: 'us-east-1' },
      { name: 'REGISTRY_STORAGE_S3_ENCRYPT', value: 'true' },
      { name: 'REGISTRY_STORAGE_S3_FORCEPATHSTYLE', value: 'true' },
      { name: 'REGISTRY_STORAGE_S3_CREDENTIALSCONFIGPATH', value: '/var/run/secrets/cloud/credentials' },
      { name: 'REGISTRY_STORAGE_S3_USEDUALSTACK', value: 'true' },
    ]);
    expect(r.mounts).toEqual([
      { name: 'image-registry-private-configuration', mountPath: '/var/run/secrets/cloud', readOnly: true },
    ]);
  });

  it('points CNCF distribution at the credentials file through the AWS SDK variable and skips dual-stack for custom endpoints', () => {
    const r = envMap(
      renderStorage({
        storage: { s3: { bucket: 'b', regionEndpoint: 'http://127.0.0.1:9000', virtualHostedStyle: false } },
        flavour: 'distribution',
        privateKeys: none,
      }).env,
    );
    expect(r['AWS_SHARED_CREDENTIALS_FILE']).toBe('/var/run/secrets/cloud/credentials');
    // The same file as shared config, where the SDK reads a web-identity profile (ADR 0005).
    expect(r['AWS_CONFIG_FILE']).toBe('/var/run/secrets/cloud/credentials');
    expect(r['AWS_SDK_LOAD_CONFIG']).toBe('true');
    expect(r['REGISTRY_STORAGE_S3_CREDENTIALSCONFIGPATH']).toBeUndefined();
    expect(r['REGISTRY_STORAGE_S3_USEDUALSTACK']).toBeUndefined();
    expect(r['REGISTRY_STORAGE_S3_REGION']).toBe('""');
    expect(r['REGISTRY_STORAGE_S3_REGIONENDPOINT']).toBe('http://127.0.0.1:9000');
  });

  it('renders the CloudFront middleware as upstream and mounts its private key', () => {
    const r = renderStorage({
      storage: {
        s3: {
          bucket: 'b',
          region: 'us-east-1',
          cloudFront: {
            baseURL: 'https://cloudfront.example.com',
            privateKey: { name: 'cf', key: 'pk' },
            keypairID: 'keypair-id',
            duration: '300s',
          },
        },
      },
      flavour: 'openshift',
      privateKeys: none,
    });
    expect(envMap(r.env)['REGISTRY_MIDDLEWARE_STORAGE']).toBe(
      [
        '- name: cloudfront',
        '  options:',
        '    baseurl: https://cloudfront.example.com',
        '    privatekey: /etc/docker/cloudfront/private.pem',
        '    keypairid: keypair-id',
        '    duration: 5m0s',
        '    ipfilteredby: none',
      ].join('\n'),
    );
    expect(r.volumes).toContainEqual({
      name: 'registry-cloudfront',
      secret: { secretName: 'cf', items: [{ key: 'pk', path: 'private.pem' }], optional: false },
    });
  });

  it('mounts the GCS keyfile from the private configuration secret', () => {
    const r = renderStorage({ storage: { gcs: { bucket: 'g' } }, flavour: 'openshift', privateKeys: none });
    expect(r.env.map((e) => `${e.name}=${e.value}`)).toEqual([
      'REGISTRY_STORAGE=gcs',
      'REGISTRY_STORAGE_GCS_BUCKET=g',
      'REGISTRY_STORAGE_GCS_KEYFILE=/gcs/keyfile',
    ]);
    expect(r.mounts).toEqual([{ name: 'registry-storage-keyfile', mountPath: '/gcs' }]);
  });

  it('hands a GCS external-account file to the registry as Application Default Credentials', () => {
    const r = renderStorage({
      storage: { gcs: { bucket: 'g' } },
      flavour: 'distribution',
      privateKeys: new Set(['application_default_credentials.json']),
    });
    expect(r.env.map((e) => `${e.name}=${e.value}`)).toEqual([
      'REGISTRY_STORAGE=gcs',
      'REGISTRY_STORAGE_GCS_BUCKET=g',
      'GOOGLE_APPLICATION_CREDENTIALS=/gcs/application_default_credentials.json',
    ]);
    expect(r.volumes[0]?.secret?.items).toEqual([
      { key: 'application_default_credentials.json', path: 'application_default_credentials.json' },
    ]);
  });

  it('references the Azure account key from the secret only when the storage app wrote one', () => {
    const withKey = renderStorage({
      storage: { azure: { accountName: 'acct', container: 'c', cloudName: 'AzureUSGovernmentCloud' } },
      flavour: 'distribution',
      privateKeys: new Set(['REGISTRY_STORAGE_AZURE_ACCOUNTKEY']),
    });
    expect(withKey.env[0]).toEqual({
      name: 'REGISTRY_STORAGE_AZURE_ACCOUNTKEY',
      valueFrom: { secretKeyRef: { name: 'image-registry-private-configuration', key: 'REGISTRY_STORAGE_AZURE_ACCOUNTKEY' } },
    });
    expect(envMap(withKey.env)['REGISTRY_STORAGE_AZURE_REALM']).toBe('core.usgovcloudapi.net');
    expect(envMap(withKey.env)['REGISTRY_STORAGE_AZURE_CREDENTIALS_TYPE']).toBe('shared_key');

    const identity = renderStorage({
      storage: { azure: { accountName: 'acct', container: 'c' } },
      flavour: 'openshift',
      privateKeys: new Set(['AZURE_CLIENT_ID', 'AZURE_TENANT_ID', 'AZURE_FEDERATED_TOKEN_FILE']),
    });
    expect(identity.env.map((e) => e.name)).toEqual([
      'AZURE_CLIENT_ID',
      'AZURE_TENANT_ID',
      'AZURE_FEDERATED_TOKEN_FILE',
      'AZURE_AUTHORITY_HOST',
      'REGISTRY_STORAGE',
      'REGISTRY_STORAGE_AZURE_CONTAINER',
      'REGISTRY_STORAGE_AZURE_ACCOUNTNAME',
    ]);
  });

  it('renders Swift for the openshift flavour, normalising the auth URL', () => {
    const r = renderStorage({
      storage: { swift: { container: 'c', authURL: 'https://keystone.example.com/', authVersion: '3', regionName: 'r1' } },
      flavour: 'openshift',
      privateKeys: new Set(['REGISTRY_STORAGE_SWIFT_USERNAME', 'REGISTRY_STORAGE_SWIFT_PASSWORD']),
    });
    expect(r.env.map((e) => e.name)).toEqual([
      'REGISTRY_STORAGE',
      'REGISTRY_STORAGE_SWIFT_CONTAINER',
      'REGISTRY_STORAGE_SWIFT_AUTHURL',
      'REGISTRY_STORAGE_SWIFT_USERNAME',
      'REGISTRY_STORAGE_SWIFT_PASSWORD',
      'REGISTRY_STORAGE_SWIFT_AUTHVERSION',
      'REGISTRY_STORAGE_SWIFT_REGION',
    ]);
    expect(envMap(r.env)['REGISTRY_STORAGE_SWIFT_AUTHURL']).toBe('https://keystone.example.com/v3');
    expect(envMap(r.env)['REGISTRY_STORAGE_SWIFT_AUTHVERSION']).toBe('3');
  });

  it('explains that CNCF distribution cannot run Swift', () => {
    expect(() =>
      renderStorage({ storage: { swift: { container: 'c', authURL: 'https://k/v3' } }, flavour: 'distribution', privateKeys: none }),
    ).toThrow(/--registry-flavour=openshift/);
  });

  it('renders IBM COS as S3 with the location endpoint', () => {
    const r = envMap(renderStorage({ storage: { ibmcos: { bucket: 'b', location: 'us-south' } }, flavour: 'openshift', privateKeys: none }).env);
    expect(r['REGISTRY_STORAGE']).toBe('s3');
    expect(r['REGISTRY_STORAGE_S3_REGIONENDPOINT']).toBe('s3.us-south.cloud-object-storage.appdomain.cloud');
    expect(r['REGISTRY_STORAGE_S3_USEDUALSTACK']).toBe('false');
  });

  it('rejects zero or several backends with upstream messages', () => {
    expect(() => renderStorage({ storage: {}, flavour: 'openshift', privateKeys: none })).toThrow(/storage backend not configured/);
    expect(() => renderStorage({ storage: { emptyDir: {}, s3: { bucket: 'b' } }, flavour: 'openshift', privateKeys: none })).toThrow(
      'exactly one storage type should be configured at the same time, got 2: [EmptyDir S3]',
    );
  });

  it('reports an S3 status without a bucket as bad input naming the field', () => {
    const attempt = () => renderStorage({ storage: { s3: {} }, flavour: 'openshift', privateKeys: none });
    expect(attempt).toThrow(InvalidConfigError);
    expect(attempt).toThrow(/status\.storage\.s3\.bucket/);
  });
});
