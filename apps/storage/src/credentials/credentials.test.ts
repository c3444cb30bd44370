import { describe, expect, it } from 'vitest';
import { azureCredentials } from './azure.ts';
import { gcsCredentials, gcsPrivateConfiguration } from './gcs.ts';
import { parseSharedCredentials, s3Credentials, sharedCredentialsFile } from './s3.ts';
import { CredentialsError, decodeSecretData } from './sources.ts';

const noFile = (): string => {
  throw new Error('no file');
};

const ns = 'openshift-image-registry';

describe('s3Credentials', () => {
  it('takes the access keys from the user secret and renders a default profile for the registry', () => {
    const creds = s3Credentials({
      namespace: ns,
      env: {},
      user: { REGISTRY_STORAGE_S3_ACCESSKEY: 'AK', REGISTRY_STORAGE_S3_SECRETKEY: 'SK' },
      cloud: undefined,
    });
    expect(creds).toEqual({
      kind: 'static',
      accessKeyId: 'AK',
      secretAccessKey: 'SK',
      sharedCredentialsFile: '[default]\naws_access_key_id = AK\naws_secret_access_key = SK\n',
    });
  });

  it('ignores the cloud secret entirely when the user secret exists, and names the missing key', () => {
    const run = () =>
      s3Credentials({
        namespace: ns,
        env: {},
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
      env: {},
      user: undefined,
      cloud: { aws_access_key_id: 'C', aws_secret_access_key: 'S' },
    });
    expect(creds).toMatchObject({ kind: 'static', accessKeyId: 'C' });
    expect(creds.sharedCredentialsFile).toBe(sharedCredentialsFile('C', 'S'));
  });

  it('passes a cloud credentials file to the registry verbatim and reads its default profile', () => {
    const file =
      '[default]\naws_access_key_id = A1\naws_secret_access_key = S1\naws_session_token = T1\n# a comment\n';
    const creds = s3Credentials({ namespace: ns, env: {}, user: undefined, cloud: { credentials: file } });
    expect(creds).toEqual({
      kind: 'static',
      accessKeyId: 'A1',
      secretAccessKey: 'S1',
      sessionToken: 'T1',
      sharedCredentialsFile: file,
    });
  });

  it('assumes the role of an STS-mode cloud secret with its token file, and hands the registry the file verbatim', () => {
    const file = '[default]\nrole_arn = arn:aws:iam::1:role/x\nweb_identity_token_file = /var/run/token\n';
    expect(s3Credentials({ namespace: ns, env: {}, user: undefined, cloud: { credentials: file } })).toEqual({
      kind: 'webIdentity',
      roleArn: 'arn:aws:iam::1:role/x',
      tokenFile: '/var/run/token',
      sharedCredentialsFile: file,
    });
  });

  it('uses IRSA from its own environment when no secret exists, pointing the registry at its own token', () => {
    const env = { AWS_ROLE_ARN: 'arn:aws:iam::1:role/r', AWS_WEB_IDENTITY_TOKEN_FILE: '/irsa/token' };
    expect(s3Credentials({ namespace: ns, env, user: undefined, cloud: undefined })).toEqual({
      kind: 'webIdentity',
      roleArn: 'arn:aws:iam::1:role/r',
      tokenFile: '/irsa/token',
      sharedCredentialsFile:
        '[default]\nrole_arn = arn:aws:iam::1:role/r\nweb_identity_token_file = /var/run/secrets/openshift/serviceaccount/token\n',
    });
    expect(() =>
      s3Credentials({ namespace: ns, env: { AWS_ROLE_ARN: 'r' }, user: undefined, cloud: undefined }),
    ).toThrow(/sets AWS_ROLE_ARN but not AWS_WEB_IDENTITY_TOKEN_FILE/);
  });

  it('rejects a credentials file with neither keys nor a role, waiting for the admin', () => {
    const run = () =>
      s3Credentials({
        namespace: ns,
        env: {},
        user: undefined,
        cloud: { credentials: '[default]\nregion = x\n' },
      });
    expect(run).toThrow(/neither static aws_access_key_id/);
    expect(() => run()).toThrow(expect.objectContaining({ problem: 'Unsupported', retriable: false }));
  });

  it('says which secret to create when no credentials exist at all, and retries (the cloud secret may be minted)', () => {
    const run = () => s3Credentials({ namespace: ns, env: {}, user: undefined, cloud: undefined });
    expect(run).toThrow(
      'unable to get cluster minted credentials "openshift-image-registry/installer-cloud-credentials": the secret does not exist; create secret "openshift-image-registry/image-registry-private-configuration-user" with REGISTRY_STORAGE_S3_ACCESSKEY and REGISTRY_STORAGE_S3_SECRETKEY, or give the storage app a web identity (AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE)',
    );
    expect(run).toThrow(expect.objectContaining({ problem: 'SecretMissing', retriable: true }));
  });

  it('never puts a secret value into an error message', () => {
    try {
      s3Credentials({
        namespace: ns,
        env: {},
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
      gcsCredentials(
        {
          namespace: ns,
          env: {},
          user: { REGISTRY_STORAGE_GCS_KEYFILE: keyfile },
          cloud: { 'service_account.json': '{}' },
        },
        noFile,
      ),
    ).toMatchObject({ type: 'service_account', json: keyfile, projectID: 'proj-1' });
  });

  it('falls back to service_account.json of the cloud secret', () => {
    expect(
      gcsCredentials(
        { namespace: ns, env: {}, user: undefined, cloud: { 'service_account.json': keyfile } },
        noFile,
      ),
    ).toMatchObject({ json: keyfile, projectID: 'proj-1' });
  });

  it('takes an external account (workload identity federation) and hands it to the registry as its ADC file', () => {
    const external = JSON.stringify({
      type: 'external_account',
      audience: 'a',
      credential_source: { file: '/var/run/secrets/openshift/serviceaccount/token' },
    });
    const creds = gcsCredentials(
      { namespace: ns, env: {}, user: undefined, cloud: { 'service_account.json': external } },
      noFile,
    );
    expect(creds).toMatchObject({ type: 'external_account', projectID: undefined });
    expect(gcsPrivateConfiguration(creds)).toEqual({ 'application_default_credentials.json': external });
    const fromEnv = gcsCredentials(
      {
        namespace: ns,
        env: { GOOGLE_APPLICATION_CREDENTIALS: '/adc.json' },
        user: undefined,
        cloud: undefined,
      },
      (path) => (path === '/adc.json' ? external : noFile()),
    );
    expect(fromEnv.json).toBe(external);
  });

  it('never quotes a malformed key file, not even in a cause', () => {
    const broken =
      '{"type": "service_account", "private_key": "-----BEGIN PRIVATE KEY-----\\nMIIEvQTOPSECRET';
    let caught: unknown;
    try {
      gcsCredentials(
        { namespace: ns, env: {}, user: { REGISTRY_STORAGE_GCS_KEYFILE: broken }, cloud: undefined },
        noFile,
      );
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(CredentialsError);
    expect((caught as Error).cause).toBeUndefined();
    expect(JSON.stringify({ m: (caught as Error).message, s: (caught as Error).stack })).not.toContain(
      'TOPSECRET',
    );
    expect(caught).toMatchObject({ problem: 'Malformed' });
  });

  it('names the cloud key when it is missing and rejects a keyfile that is not JSON', () => {
    expect(() => gcsCredentials({ namespace: ns, env: {}, user: undefined, cloud: {} }, noFile)).toThrow(
      'secret "openshift-image-registry/installer-cloud-credentials" does not contain required key "service_account.json"',
    );
    expect(() =>
      gcsCredentials(
        { namespace: ns, env: {}, user: { REGISTRY_STORAGE_GCS_KEYFILE: 'nope' }, cloud: undefined },
        noFile,
      ),
    ).toThrow(
      'key "REGISTRY_STORAGE_GCS_KEYFILE" of secret "openshift-image-registry/image-registry-private-configuration-user" is not a JSON Google credential file',
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
        { namespace: ns, env: {}, user: { REGISTRY_STORAGE_AZURE_ACCOUNTKEY: 'key' }, cloud },
        undefined,
      ),
    ).toEqual({ kind: 'accountKey', accountKey: 'key' });
  });

  it('tells the admin to provide a key or delete the secret when the key is empty', () => {
    expect(() =>
      azureCredentials(
        { namespace: ns, env: {}, user: { REGISTRY_STORAGE_AZURE_ACCOUNTKEY: '' }, cloud },
        undefined,
      ),
    ).toThrow(
      /does not contain a non-empty "REGISTRY_STORAGE_AZURE_ACCOUNTKEY": provide the storage account key, or delete the secret/,
    );
  });

  it('builds a service principal from the cloud secret, the resource group falling back to the platform', () => {
    expect(azureCredentials({ namespace: ns, env: {}, user: undefined, cloud }, 'infra-rg')).toEqual({
      kind: 'servicePrincipal',
      subscriptionId: 'sub',
      tenantId: 'tid',
      clientId: 'cid',
      clientSecret: 'csecret',
      federatedTokenFile: undefined,
      resourceGroup: 'infra-rg',
      region: 'eastus',
    });
    expect(() => azureCredentials({ namespace: ns, env: {}, user: undefined, cloud }, undefined)).toThrow(
      '"azure_resourcegroup"',
    );
  });

  it('accepts workload identity (a federated token file instead of a client secret)', () => {
    const { azure_client_secret: _s, ...rest } = cloud;
    const creds = azureCredentials(
      {
        namespace: ns,
        env: {},
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

describe('Azure workload identity', () => {
  it("uses the pod's AKS workload identity when no secret exists", () => {
    const env = { AZURE_CLIENT_ID: 'c', AZURE_TENANT_ID: 't', AZURE_FEDERATED_TOKEN_FILE: '/aks/token' };
    expect(azureCredentials({ namespace: ns, env, user: undefined, cloud: undefined }, undefined)).toEqual({
      kind: 'workloadIdentity',
      clientId: 'c',
      tenantId: 't',
      tokenFile: '/aks/token',
      authorityHost: undefined,
    });
  });
});

describe('decodeSecretData', () => {
  it('decodes base64 data and keeps undefined for a missing secret', () => {
    expect(decodeSecretData({ data: { a: Buffer.from('hé').toString('base64') } })).toEqual({ a: 'hé' });
    expect(decodeSecretData(undefined)).toBeUndefined();
  });
});
