import { Writable } from 'node:stream';
import { createLogger, type Logger } from '@image-registry/controller-runtime';
import { describe, expect, it } from 'vitest';
import type { ClusterFacts } from './cluster.ts';
import { azureCredentials } from './credentials/azure.ts';
import { gcsCredentials } from './credentials/gcs.ts';
import { s3Credentials } from './credentials/s3.ts';
import type { CredentialSources } from './credentials/sources.ts';
import { AzureDriver } from './drivers/azure/driver.ts';
import type { StorageDriver } from './drivers/driver.ts';
import { GcsDriver } from './drivers/gcs/driver.ts';
import { S3Driver } from './drivers/s3/driver.ts';
import { withStorageRedaction } from './log-redaction.ts';

/**
 * No secret value, and no fragment of one, reaches a log line: each driver's private configuration
 * and error paths are logged through the real logger (as the runtime logs a failed reconcile), and the
 * output is searched for every secret and every line of it.
 */

const secret = {
  s3Key: 'AKIAVERYSECRETACCESSKEY',
  s3Secret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETKEY',
  pem: '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDSECRETLINE\n-----END PRIVATE KEY-----\n',
  azureKey: 'c2VjcmV0LWF6dXJlLWFjY291bnQta2V5LXZhbHVl',
  clientSecret: 'azure-client-secret-value',
};
const fragments = [
  secret.s3Key,
  secret.s3Secret,
  secret.azureKey,
  secret.clientSecret,
  'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDSECRETLINE',
  'SECRETLINE',
  'SECRETKEY',
];

function capture(): { logger: Logger; text: () => string } {
  let out = '';
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      out += chunk.toString();
      done();
    },
  });
  return { logger: createLogger({ level: 'debug', destination }), text: () => out };
}

const cluster: ClusterFacts = {
  infrastructureName: 'c',
  platform: 'None',
  hasInfrastructure: false,
  aws: { serviceEndpoints: [], resourceTags: [] },
  gcp: { resourceLabels: [] },
  azure: { resourceTags: [] },
};
const ns = 'openshift-image-registry';
const sources = (
  user: Record<string, string> | undefined,
  cloud?: Record<string, string>,
): CredentialSources => ({
  namespace: ns,
  user,
  cloud,
  env: {},
});
/** An SDK error that echoes what it was sent, the worst case. */
const echoing = (...values: string[]) =>
  Object.assign(new Error(`request failed: ${values.join(' ')}`), {
    name: 'Forbidden',
    $metadata: { httpStatusCode: 403 },
    statusCode: 403,
    code: 403,
    config: { headers: { authorization: values.join(' ') } },
  });

function drivers(): { name: string; driver: StorageDriver; fail: () => Promise<unknown> }[] {
  const s3 = new S3Driver({
    cluster,
    credentials: s3Credentials(
      sources({
        REGISTRY_STORAGE_S3_ACCESSKEY: secret.s3Key,
        REGISTRY_STORAGE_S3_SECRETKEY: secret.s3Secret,
      }),
    ),
    clientFactory: () => ({ send: () => Promise.reject(echoing(secret.s3Key, secret.s3Secret)) }),
  });
  const keyfile = JSON.stringify({ type: 'service_account', project_id: 'p', private_key: secret.pem });
  const failingGcs = () => Promise.reject(echoing(keyfile, secret.pem));
  const gcs = new GcsDriver({
    cluster,
    credentials: gcsCredentials(sources({ REGISTRY_STORAGE_GCS_KEYFILE: keyfile }), () => ''),
    api: {
      bucketExists: failingGcs,
      createBucket: failingGcs,
      updateBucket: failingGcs,
      deleteAllObjects: failingGcs,
      deleteBucket: failingGcs,
    },
  });
  const failingBlob = () => Promise.reject(echoing(secret.azureKey));
  const azure = new AzureDriver({
    cluster,
    credentials: azureCredentials(sources({ REGISTRY_STORAGE_AZURE_ACCOUNTKEY: secret.azureKey }), undefined),
    containers: () => ({ exists: failingBlob, create: failingBlob, delete: failingBlob }),
  });
  const principal = new AzureDriver({
    cluster,
    credentials: azureCredentials(
      sources(undefined, {
        azure_subscription_id: 's',
        azure_client_id: 'c',
        azure_client_secret: secret.clientSecret,
        azure_tenant_id: 't',
        azure_region: 'r',
        azure_resourcegroup: 'rg',
      }),
      undefined,
    ),
    accounts: () => ({
      get: () => Promise.reject(echoing(secret.clientSecret)),
      nameAvailable: () => Promise.resolve(true),
      create: () => Promise.resolve(),
      primaryKey: () => Promise.resolve(secret.azureKey),
      delete: () => Promise.resolve(),
    }),
  });
  return [
    { name: 'S3', driver: s3, fail: () => s3.storageExists({ bucket: 'b' }) },
    { name: 'GCS', driver: gcs, fail: () => gcs.storageExists({ bucket: 'b' }) },
    {
      name: 'Azure key',
      driver: azure,
      fail: () => azure.storageExists({ accountName: 'a', container: 'c' }),
    },
    {
      name: 'Azure service principal',
      driver: principal,
      fail: () => principal.removeStorage({ accountName: 'a', container: 'c' }),
    },
  ];
}

describe('secrets in logs', () => {
  it.each(drivers().map((d) => [d.name, d] as const))(
    '%s: neither its private configuration nor its failures reach a log line',
    async (_name, { driver, fail }) => {
      const { logger, text } = capture();
      const log = withStorageRedaction(logger);
      log.info({ privateConfiguration: driver.privateConfiguration() }, 'private configuration');
      log.info(driver.privateConfiguration(), 'private configuration, flat');
      const err = await fail().then(
        () => expect.unreachable('the driver must fail'),
        (e: unknown) => e,
      );
      // As the runtime logs a failed reconcile: the error with its cause chain, through its own logger.
      logger.error({ err }, 'reconcile failed; retrying with backoff');
      log.error({ err }, 'reconcile failed');
      expect(text()).toContain('reconcile failed');
      for (const f of fragments) expect(text()).not.toContain(f);
    },
  );

  it('a malformed GCS key file puts no fragment of the key into the log, not even through a cause', () => {
    const { logger, text } = capture();
    const broken = `{"type": "service_account", "private_key": "${secret.pem.slice(0, 90)}`;
    let err: unknown;
    try {
      gcsCredentials(sources({ REGISTRY_STORAGE_GCS_KEYFILE: broken }), () => '');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(Error);
    logger.error({ err }, 'reconcile failed with a terminal error; not retrying until the object changes');
    expect(text()).toContain('is not a JSON Google credential file');
    for (const f of ['MIIEvQ', 'BEGIN PRIVATE KEY', 'private_key']) expect(text()).not.toContain(f);
  });
});
