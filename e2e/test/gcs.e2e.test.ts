// gcs_test.go: a bucket the user created, the user's key file in the -user secret (salted, to see it
// travel unchanged into the registry's private configuration), against fake-gcs-server.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { gcsBucketNames, gcsCreateBucket } from '@image-registry/testing';
import {
  ensureAvailable,
  ensureClusterOperatorNormal,
  ensureInternalRegistryHostnameIsSet,
  ensureNotHotLooping,
  freshConfig,
  teardown,
} from '../src/helpers.ts';
import {
  createSecret,
  emulators,
  privateSecret,
  readSecret,
  registryEnv,
  testInfrastructureName,
  userSecret,
} from '../src/storage.ts';

const gcs = emulators.gcs;

/** A service-account key file as GCP issues it (fake-gcs-server checks none), with upstream's salt. */
function taintedKeyfile(): string {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return JSON.stringify({
    type: 'service_account',
    project_id: gcs.projectId,
    private_key_id: 'e2e',
    private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    client_email: `registry@${gcs.projectId}.iam.gserviceaccount.com`,
    client_id: '1',
    token_uri: 'https://oauth2.googleapis.com/token',
    tainted: 'some extra salt',
  });
}

describe('GCS (fake-gcs-server)', () => {
  afterEach(teardown);

  it('TestGCSDay2', async () => {
    const bucketName = `${testInfrastructureName()}-test${randomBytes(16).toString('hex')}`.slice(0, 63);
    await gcsCreateBucket(gcs, bucketName);
    // The user's bucket outlives the registry's Removed (upstream deletes it itself afterwards).
    onTestFinished(async () => expect(await gcsBucketNames(gcs)).toContain(bucketName));
    const keyfile = taintedKeyfile();
    await createSecret(userSecret, { REGISTRY_STORAGE_GCS_KEYFILE: keyfile });

    await freshConfig({ storage: { gcs: { bucket: bucketName } }, replicas: 1 });
    await ensureAvailable();
    await ensureInternalRegistryHostnameIsSet();
    await ensureClusterOperatorNormal();
    await ensureNotHotLooping();

    expect((await readSecret(privateSecret))?.['REGISTRY_STORAGE_GCS_KEYFILE']).toBe(keyfile);
    expect(await registryEnv()).toMatchObject({
      REGISTRY_STORAGE: 'gcs',
      REGISTRY_STORAGE_GCS_BUCKET: bucketName,
      REGISTRY_STORAGE_GCS_KEYFILE: '/gcs/keyfile',
    });
  });
});
