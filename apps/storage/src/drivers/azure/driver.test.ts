import { describe, expect, it } from 'vitest';
import type { ClusterFacts } from '../../cluster.ts';
import type { AzureCredentials } from '../../credentials/azure.ts';
import { StorageError } from '../driver.ts';
import type { AzureStorageAccounts } from './arm.ts';
import type { AzureBlobContainers, BlobAuth } from './blob.ts';
import { azureCloud, blobServiceUrl } from './clouds.ts';
import { AzureDriver } from './driver.ts';

const cluster: ClusterFacts = {
  infrastructureName: 'mycluster-abc12',
  platform: 'Azure',
  hasInfrastructure: true,
  aws: { serviceEndpoints: [], resourceTags: [] },
  gcp: { resourceLabels: [] },
  azure: {
    cloudName: 'AzurePublicCloud',
    resourceGroupName: 'cluster-rg',
    resourceTags: [{ key: 'team', value: 'infra' }],
  },
};
const principal: AzureCredentials = {
  kind: 'servicePrincipal',
  subscriptionId: 'sub',
  tenantId: 'tenant',
  clientId: 'client',
  clientSecret: 'secret',
  federatedTokenFile: undefined,
  resourceGroup: 'cluster-rg',
  region: 'eastus',
};

/** Fake ARM and blob services: accounts with tags and keys, containers per account. */
function fakeAzure() {
  const accounts = new Map<
    string,
    { rg: string; tags: Record<string, string>; location: string; containers: Set<string> }
  >();
  const taken = new Set<string>();
  const urls: string[] = [];
  const arm: AzureStorageAccounts = {
    get: (rg, a) => {
      const found = accounts.get(a);
      return Promise.resolve(found?.rg === rg ? { tags: found.tags } : undefined);
    },
    nameAvailable: (a) => Promise.resolve(!accounts.has(a) && !taken.has(a)),
    create: (rg, a, o) => {
      accounts.set(a, { rg, tags: o.tags, location: o.location, containers: new Set() });
      return Promise.resolve();
    },
    primaryKey: (_rg, a) => Promise.resolve(`key-of-${a}`),
    delete: (_rg, a) => {
      accounts.delete(a);
      return Promise.resolve();
    },
  };
  const containers = (url: string, account: string, auth: BlobAuth): AzureBlobContainers => {
    urls.push(url);
    const key = 'accountKey' in auth ? auth.accountKey : undefined;
    const acct = () => {
      const found = accounts.get(account);
      if (!found || key !== `key-of-${account}`)
        throw Object.assign(new Error('Server failed to authenticate the request.'), { statusCode: 403 });
      return found;
    };
    return {
      exists: (c) => Promise.resolve(acct().containers.has(c)),
      create: (c) => Promise.resolve(!acct().containers.has(c) && Boolean(acct().containers.add(c))),
      delete: (c) => Promise.resolve(acct().containers.delete(c)),
    };
  };
  const driver = (credentials: AzureCredentials = principal) =>
    new AzureDriver({ cluster, credentials, accounts: () => arm, containers, random: () => 0 });
  return { accounts, taken, urls, driver };
}

describe('Azure completeConfiguration', () => {
  it('generates the account (service principal only) and container names and copies the cloud name', () => {
    const { config, generatedName } = fakeAzure().driver().completeConfiguration({});
    expect(generatedName).toBe(true);
    expect(config).toEqual({
      cloudName: 'AzurePublicCloud',
      accountName: 'imageregistrymyclusbbbbb',
      container: `mycluster-abc12-image-registry-${'a'.repeat(31)}`,
    });
  });

  it('never invents an account name for a bare account key', () => {
    const d = fakeAzure().driver({ kind: 'accountKey', accountKey: 'k' });
    expect(d.completeConfiguration({ container: 'c' }).config.accountName).toBeUndefined();
  });
});

describe('Azure with a service principal (ARM)', () => {
  it('creates a tagged StorageV2 account and a container, and publishes the account key', async () => {
    const az = fakeAzure();
    const d = az.driver();
    const config = { accountName: 'acct', container: 'cont' };
    expect((await d.storageExists(config)).condition).toEqual({
      type: 'StorageExists',
      status: 'False',
      reason: 'ContainerNotFound',
      message: 'Storage account acct does not exist',
    });
    const r = await d.createStorage(config, 'Managed', false);
    expect(az.accounts.get('acct')).toMatchObject({
      rg: 'cluster-rg',
      location: 'eastus',
      tags: { 'kubernetes.io_cluster.mycluster-abc12': 'owned', team: 'infra' },
    });
    expect(az.accounts.get('acct')?.containers.has('cont')).toBe(true);
    expect(az.urls[0]).toBe('https://acct.blob.core.windows.net');
    expect(r.conditions).toEqual([
      {
        type: 'StorageExists',
        status: 'True',
        reason: 'ContainerExists',
        message: 'Storage container exists',
      },
    ]);
    expect(d.privateConfiguration()).toEqual({ REGISTRY_STORAGE_AZURE_ACCOUNTKEY: 'key-of-acct' });
  });

  it('refuses an account name another subscription holds', async () => {
    const az = fakeAzure();
    az.taken.add('acct');
    const err = (await az
      .driver()
      .createStorage({ accountName: 'acct', container: 'c' }, 'Managed', false)
      .catch((e: unknown) => e)) as StorageError;
    expect(err).toBeInstanceOf(StorageError);
    expect(err.retriable).toBe(false);
    expect(err.message).toContain('the name acct is taken by another Azure subscription');
  });

  it('deletes the account on removal only when this operator created it', async () => {
    const az = fakeAzure();
    const d = az.driver();
    await d.createStorage({ accountName: 'ours', container: 'c' }, 'Managed', false);
    expect((await d.removeStorage({ accountName: 'ours', container: 'c' })).condition).toMatchObject({
      reason: 'AccountDeleted',
      message: 'Storage account has been deleted',
    });
    expect(az.accounts.has('ours')).toBe(false);

    az.accounts.set('users', { rg: 'cluster-rg', tags: {}, location: 'eastus', containers: new Set(['c']) });
    expect((await d.removeStorage({ accountName: 'users', container: 'c' })).condition).toMatchObject({
      reason: 'ContainerDeleted',
    });
    expect(az.accounts.get('users')?.containers.size).toBe(0);
  });
});

describe('Azure with the user account key', () => {
  const key: AzureCredentials = { kind: 'accountKey', accountKey: 'key-of-acct' };

  it('creates the container in the given account and keeps the key for the registry', async () => {
    const az = fakeAzure();
    az.accounts.set('acct', { rg: 'x', tags: {}, location: 'eastus', containers: new Set() });
    const d = az.driver(key);
    const r = await d.createStorage({ accountName: 'acct', container: 'c' }, 'Managed', false);
    expect(r.created).toBe(true);
    expect(d.privateConfiguration()).toEqual({ REGISTRY_STORAGE_AZURE_ACCOUNTKEY: 'key-of-acct' });
  });

  it('says the user manages an existing container', async () => {
    const az = fakeAzure();
    az.accounts.set('acct', { rg: 'x', tags: {}, location: 'eastus', containers: new Set(['c']) });
    const r = await az.driver(key).createStorage({ accountName: 'acct', container: 'c' }, 'Unmanaged', true);
    expect(r.conditions).toEqual([
      {
        type: 'StorageExists',
        status: 'True',
        reason: 'UserManaged',
        message: 'Storage is managed by the user',
      },
    ]);
  });

  it('asks for the account name when only a key is given', async () => {
    const err = (await fakeAzure()
      .driver(key)
      .storageExists({ container: 'c' })
      .catch((e: unknown) => e)) as StorageError;
    expect(err.conditions[0]).toMatchObject({ status: 'False', reason: 'StorageNotConfigured' });
    expect(err.message).toContain('account name is not specified');
  });

  it('reports a wrong key as AzureError that waits for a new key', async () => {
    const az = fakeAzure();
    az.accounts.set('acct', { rg: 'x', tags: {}, location: 'eastus', containers: new Set() });
    const err = (await az
      .driver({ kind: 'accountKey', accountKey: 'wrong' })
      .storageExists({ accountName: 'acct', container: 'c' })
      .catch((e: unknown) => e)) as StorageError;
    expect(err.conditions[0]).toMatchObject({ status: 'Unknown', reason: 'AzureError' });
    expect(err.retriable).toBe(false);
  });
});

describe('Azure clouds', () => {
  it('builds the blob URL from the cloud or from an emulator template', () => {
    const gov = azureCloud('AzureUSGovernmentCloud');
    const pub = azureCloud('');
    if (!gov || !pub) return expect.unreachable('known clouds');
    expect(blobServiceUrl('a', gov, undefined)).toBe('https://a.blob.core.usgovcloudapi.net');
    expect(blobServiceUrl('a', pub, 'http://127.0.0.1:10000/{account}')).toBe('http://127.0.0.1:10000/a');
    expect(azureCloud('Nowhere')).toBeUndefined();
  });
});

describe('Azure with the workload identity of the pod', () => {
  it('reaches blobs with an Entra credential from the federated token file, and gives the registry its own token, no key', async () => {
    const { WorkloadIdentityCredential } = await import('@azure/identity');
    const auths: BlobAuth[] = [];
    const driver = new AzureDriver({
      cluster,
      credentials: {
        kind: 'workloadIdentity',
        clientId: 'cid',
        tenantId: 'tid',
        tokenFile: '/aks/token',
        authorityHost: undefined,
      },
      containers: (_url, _account, auth) => {
        auths.push(auth);
        return {
          exists: () => Promise.resolve(false),
          create: () => Promise.resolve(true),
          delete: () => Promise.resolve(true),
        };
      },
      random: () => 0,
    });
    const { config } = driver.completeConfiguration({ accountName: 'acct' });
    expect(config.accountName).toBe('acct');
    const r = await driver.createStorage(config, 'Managed', false);
    expect(r.created).toBe(true);
    expect(auths[0]).not.toHaveProperty('accountKey');
    expect((auths[0] as { credential: unknown }).credential).toBeInstanceOf(WorkloadIdentityCredential);
    expect(driver.privateConfiguration()).toEqual({
      AZURE_CLIENT_ID: 'cid',
      AZURE_TENANT_ID: 'tid',
      AZURE_FEDERATED_TOKEN_FILE: '/var/run/secrets/openshift/serviceaccount/token',
    });
  });
});
