import { describe, expect, it } from 'vitest';
import {
  CredentialsError,
  azureCredentials,
  decodeSecretData,
  gcsCredentials,
  parseSharedCredentials,
  s3Credentials,
  sharedCredentialsFile,
} from './credentials.ts';

const ns = 'openshift-image-registry';

describe('s3Credentials', () => {
  it('takes the access keys from the user secret and renders a default profile for the registry', () => {
    const creds = s3Credentials({
      namespace: ns,
      user: { REGISTRY_STORAGE_S3_ACCESSKEY: 'AK', REGISTRY_STORAGE_S3_SECRETKEY: 'SK' },
      cloud: undefined,
    });
    expect(creds).toEqual({
      accessKeyId: 'AK',
      secretAccessKey: 'SK',
      sharedCredentialsFile: '[default]\naws_access_key_id = AK\naws_secret_access_key = SK\n',
    });
  });

  it('ignores the cloud secret entirely when the user secret exists, and names the missing key', () => {
    const run = () =>
      s3Credentials({
        namespace: ns,
        user: { REGISTRY_STORAGE_S3_ACCESSKEY: 'AK' },
        cloud: { aws_access_key_id: 'CLOUD', aws_secret_access_key: 'CLOUDSECRET' },
      });
    expect(run).toThrow(CredentialsError);
    expect(run).toThrow(
      'secret "openshift-image-registry/image-registry-private-configuration-user" does not contain required key "REGISTRY_STORAGE_S3_SECRETKEY"',
    );
  });

  it('uses the cloud secret keys when there is no user secret', () => {
    const creds = s3Credentials({
      namespace: ns,
      user: undefined,
      cloud: { aws_access_key_id: 'C', aws_secret_access_key: 'S' },
    });
    expect(creds.accessKeyId).toBe('C');
    expect(creds.sharedCredentialsFile).toBe(sharedCredentialsFile('C', 'S'));
  });

  it('passes a cloud credentials file to the registry verbatim and reads its default profile', () => {
    const file =
      '[default]\naws_access_key_id = A1\naws_secret_access_key = S1\naws_session_token = T1\n# a comment\n';
    const creds = s3Credentials({ namespace: ns, user: undefined, cloud: { credentials: file } });
    expect(creds).toEqual({
      accessKeyId: 'A1',
      secretAccessKey: 'S1',
      sessionToken: 'T1',
      sharedCredentialsFile: file,
    });
  });

  it('explains that role-based profiles need the user secret for now', () => {
    const file = '[default]\nrole_arn = arn:aws:iam::1:role/x\nweb_identity_token_file = /var/run/token\n';
    expect(() => s3Credentials({ namespace: ns, user: undefined, cloud: { credentials: file } })).toThrow(
      /STS.*image-registry-private-configuration-user/,
    );
  });

  it('says which secret to create when no credentials exist at all', () => {
    expect(() => s3Credentials({ namespace: ns, user: undefined, cloud: undefined })).toThrow(
      'unable to get cluster minted credentials "openshift-image-registry/installer-cloud-credentials": the secret does not exist; create secret "openshift-image-registry/image-registry-private-configuration-user" with REGISTRY_STORAGE_S3_ACCESSKEY and REGISTRY_STORAGE_S3_SECRETKEY',
    );
  });

  it('never puts a secret value into an error message', () => {
    try {
      s3Credentials({
        namespace: ns,
        user: { REGISTRY_STORAGE_S3_ACCESSKEY: 'TOPSECRETVALUE' },
        cloud: undefined,
      });
    } catch (err) {
      expect((err as Error).message).not.toContain('TOPSECRETVALUE');
      return;
    }
    expect.unreachable('missing key must throw');
  });
});

describe('parseSharedCredentials', () => {
  it('reads the default profile, or the only profile', () => {
    expect(parseSharedCredentials('[other]\na = 1\n[default]\nb = 2\n')).toEqual({ b: '2' });
    expect(parseSharedCredentials('[profile ci]\naws_access_key_id=X\n')).toEqual({ aws_access_key_id: 'X' });
    expect(parseSharedCredentials('[a]\nx=1\n[b]\ny=2\n')).toEqual({});
  });
});

describe('gcsCredentials', () => {
  const keyfile = JSON.stringify({ type: 'service_account', project_id: 'proj-1', client_email: 'x@y' });

  it('reads the keyfile and its project from the user secret first', () => {
    expect(
      gcsCredentials({
        namespace: ns,
        user: { REGISTRY_STORAGE_GCS_KEYFILE: keyfile },
        cloud: { 'service_account.json': '{}' },
      }),
    ).toEqual({
      keyfile,
      projectID: 'proj-1',
    });
  });

  it('falls back to service_account.json of the cloud secret', () => {
    expect(
      gcsCredentials({ namespace: ns, user: undefined, cloud: { 'service_account.json': '{}' } }),
    ).toEqual({ keyfile: '{}', projectID: undefined });
  });

  it('names the cloud key when it is missing and rejects a keyfile that is not JSON', () => {
    expect(() => gcsCredentials({ namespace: ns, user: undefined, cloud: {} })).toThrow(
      'secret "openshift-image-registry/installer-cloud-credentials" does not contain required key "service_account.json"',
    );
    expect(() =>
      gcsCredentials({ namespace: ns, user: { REGISTRY_STORAGE_GCS_KEYFILE: 'nope' }, cloud: undefined }),
    ).toThrow(
      'key "REGISTRY_STORAGE_GCS_KEYFILE" of secret "openshift-image-registry/image-registry-private-configuration-user" is not a JSON service-account key file',
    );
  });
});

describe('azureCredentials', () => {
  const cloud = {
    azure_subscription_id: 'sub',
    azure_client_id: 'cid',
    azure_client_secret: 'csecret',
    azure_tenant_id: 'tid',
    azure_region: 'eastus',
  };

  it('uses the account key of the user secret', () => {
    expect(
      azureCredentials(
        { namespace: ns, user: { REGISTRY_STORAGE_AZURE_ACCOUNTKEY: 'key' }, cloud },
        undefined,
      ),
    ).toEqual({ kind: 'accountKey', accountKey: 'key' });
  });

  it('tells the admin to provide a key or delete the secret when the key is empty', () => {
    expect(() =>
      azureCredentials({ namespace: ns, user: { REGISTRY_STORAGE_AZURE_ACCOUNTKEY: '' }, cloud }, undefined),
    ).toThrow(
      /does not contain a non-empty "REGISTRY_STORAGE_AZURE_ACCOUNTKEY": provide the storage account key, or delete the secret/,
    );
  });

  it('builds a service principal from the cloud secret, the resource group falling back to the platform', () => {
    expect(azureCredentials({ namespace: ns, user: undefined, cloud }, 'infra-rg')).toEqual({
      kind: 'servicePrincipal',
      subscriptionId: 'sub',
      tenantId: 'tid',
      clientId: 'cid',
      clientSecret: 'csecret',
      federatedTokenFile: undefined,
      resourceGroup: 'infra-rg',
      region: 'eastus',
    });
    expect(() => azureCredentials({ namespace: ns, user: undefined, cloud }, undefined)).toThrow(
      '"azure_resourcegroup"',
    );
  });

  it('accepts workload identity (a federated token file instead of a client secret)', () => {
    const { azure_client_secret: _s, ...rest } = cloud;
    const creds = azureCredentials(
      {
        namespace: ns,
        user: undefined,
        cloud: { ...rest, azure_federated_token_file: '/t', azure_resourcegroup: 'rg' },
      },
      undefined,
    );
    expect(creds).toMatchObject({
      kind: 'servicePrincipal',
      clientSecret: undefined,
      federatedTokenFile: '/t',
      resourceGroup: 'rg',
    });
  });
});

describe('decodeSecretData', () => {
  it('decodes base64 data and keeps undefined for a missing secret', () => {
    expect(decodeSecretData({ data: { a: Buffer.from('hé').toString('base64') } })).toEqual({ a: 'hé' });
    expect(decodeSecretData(undefined)).toBeUndefined();
  });
});
