/**
 * Storage credentials from the two secrets in the operand namespace (upstream-inventory §7.1):
 * `image-registry-private-configuration-user` (the admin's override) and `installer-cloud-credentials`
 * (minted by the cloud-credential-operator on OpenShift). When the user secret exists it replaces the
 * cloud secret entirely for that backend; a missing key is an error that names the key.
 *
 * Values never reach logs or conditions: errors name secrets and keys only.
 */

export const userSecretName = 'image-registry-private-configuration-user';
export const cloudSecretName = 'installer-cloud-credentials';

/** Decoded `data` of a Secret (values as UTF-8 text), or undefined when the Secret does not exist. */
export type SecretData = Readonly<Record<string, string>>;

export interface CredentialSources {
  namespace: string;
  user: SecretData | undefined;
  cloud: SecretData | undefined;
}

export class CredentialsError extends Error {
  override name = 'CredentialsError';
}

export const S3Keys = {
  accessKey: 'REGISTRY_STORAGE_S3_ACCESSKEY',
  secretKey: 'REGISTRY_STORAGE_S3_SECRETKEY',
} as const;
export const GcsKeys = { keyfile: 'REGISTRY_STORAGE_GCS_KEYFILE' } as const;
export const AzureKeys = { accountKey: 'REGISTRY_STORAGE_AZURE_ACCOUNTKEY' } as const;

export interface S3Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  /** The AWS shared-credentials file the registry reads (`credentials` key of the private secret). */
  sharedCredentialsFile: string;
}

export interface GcsCredentials {
  /** The service-account JSON key file, verbatim. */
  keyfile: string;
  /** `project_id` from the key file, when it has one. */
  projectID: string | undefined;
}

export type AzureCredentials =
  | { kind: 'accountKey'; accountKey: string }
  | {
      kind: 'servicePrincipal';
      subscriptionId: string;
      tenantId: string;
      clientId: string;
      /** Absent with workload identity (then `federatedTokenFile` is set). */
      clientSecret: string | undefined;
      federatedTokenFile: string | undefined;
      resourceGroup: string;
      region: string;
    };

function missingKey(ns: string, secret: string, key: string): CredentialsError {
  return new CredentialsError(`secret "${ns}/${secret}" does not contain required key "${key}"`);
}

function noCredentials(ns: string, hint: string): CredentialsError {
  return new CredentialsError(
    `unable to get cluster minted credentials "${ns}/${cloudSecretName}": the secret does not exist; ` +
      `create secret "${ns}/${userSecretName}" with ${hint}`,
  );
}

function required(data: SecretData, ns: string, secret: string, key: string): string {
  const value = data[key];
  if (value === undefined || value === '') throw missingKey(ns, secret, key);
  return value;
}

/** `[default]` with static keys, the file the registry's S3 driver reads. */
export function sharedCredentialsFile(
  accessKeyId: string,
  secretAccessKey: string,
  sessionToken?: string,
): string {
  let text = `[default]\naws_access_key_id = ${accessKeyId}\naws_secret_access_key = ${secretAccessKey}\n`;
  if (sessionToken) text += `aws_session_token = ${sessionToken}\n`;
  return text;
}

/** The `default` profile (or the only profile) of an AWS shared-credentials/config INI text. */
export function parseSharedCredentials(text: string): Record<string, string> {
  const profiles = new Map<string, Record<string, string>>();
  let current: Record<string, string> | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/[#;].*$/, '').trim();
    if (!line) continue;
    const section = line.match(/^\[\s*(?:profile\s+)?([^\]]+?)\s*\]$/);
    if (section?.[1]) {
      current = {};
      profiles.set(section[1], current);
      continue;
    }
    const eq = line.indexOf('=');
    if (eq > 0 && current) current[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  const only = profiles.size === 1 ? [...profiles.values()][0] : undefined;
  return profiles.get('default') ?? only ?? {};
}

export function s3Credentials(src: CredentialSources): S3Credentials {
  const ns = src.namespace;
  if (src.user) {
    const accessKeyId = required(src.user, ns, userSecretName, S3Keys.accessKey);
    const secretAccessKey = required(src.user, ns, userSecretName, S3Keys.secretKey);
    return {
      accessKeyId,
      secretAccessKey,
      sharedCredentialsFile: sharedCredentialsFile(accessKeyId, secretAccessKey),
    };
  }
  if (!src.cloud) throw noCredentials(ns, `${S3Keys.accessKey} and ${S3Keys.secretKey}`);
  const shared = src.cloud['credentials'];
  if (shared) {
    const profile = parseSharedCredentials(shared);
    const accessKeyId = profile['aws_access_key_id'];
    const secretAccessKey = profile['aws_secret_access_key'];
    if (!accessKeyId || !secretAccessKey) {
      throw new CredentialsError(
        `key "credentials" of secret "${ns}/${cloudSecretName}" has no static aws_access_key_id and ` +
          `aws_secret_access_key in its default profile; role-based (STS) profiles are not supported by the storage ` +
          `app yet: create secret "${ns}/${userSecretName}" with ${S3Keys.accessKey} and ${S3Keys.secretKey}`,
      );
    }
    const sessionToken = profile['aws_session_token'];
    // The registry gets the file verbatim: it may carry settings beyond the keys.
    return {
      accessKeyId,
      secretAccessKey,
      ...(sessionToken ? { sessionToken } : {}),
      sharedCredentialsFile: shared,
    };
  }
  const accessKeyId = required(src.cloud, ns, cloudSecretName, 'aws_access_key_id');
  const secretAccessKey = required(src.cloud, ns, cloudSecretName, 'aws_secret_access_key');
  return {
    accessKeyId,
    secretAccessKey,
    sharedCredentialsFile: sharedCredentialsFile(accessKeyId, secretAccessKey),
  };
}

export function gcsCredentials(src: CredentialSources): GcsCredentials {
  const ns = src.namespace;
  let keyfile: string;
  let where: string;
  if (src.user) {
    keyfile = required(src.user, ns, userSecretName, GcsKeys.keyfile);
    where = `key "${GcsKeys.keyfile}" of secret "${ns}/${userSecretName}"`;
  } else if (src.cloud) {
    keyfile = required(src.cloud, ns, cloudSecretName, 'service_account.json');
    where = `key "service_account.json" of secret "${ns}/${cloudSecretName}"`;
  } else {
    throw noCredentials(ns, GcsKeys.keyfile);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(keyfile);
  } catch (err) {
    throw new CredentialsError(`${where} is not a JSON service-account key file`, { cause: err });
  }
  const projectID = (parsed as { project_id?: unknown }).project_id;
  return { keyfile, projectID: typeof projectID === 'string' && projectID ? projectID : undefined };
}

export function azureCredentials(
  src: CredentialSources,
  infraResourceGroup: string | undefined,
): AzureCredentials {
  const ns = src.namespace;
  if (src.user) {
    const accountKey = src.user[AzureKeys.accountKey];
    if (!accountKey) {
      throw new CredentialsError(
        `secret "${ns}/${userSecretName}" does not contain a non-empty "${AzureKeys.accountKey}": ` +
          `provide the storage account key, or delete the secret to use the cluster's credentials`,
      );
    }
    return { kind: 'accountKey', accountKey };
  }
  if (!src.cloud) throw noCredentials(ns, AzureKeys.accountKey);
  const c = src.cloud;
  const clientSecret = c['azure_client_secret'] || undefined;
  const federatedTokenFile = c['azure_federated_token_file'] || undefined;
  if (!clientSecret && !federatedTokenFile) throw missingKey(ns, cloudSecretName, 'azure_client_secret');
  const resourceGroup = c['azure_resourcegroup'] || infraResourceGroup;
  if (!resourceGroup) throw missingKey(ns, cloudSecretName, 'azure_resourcegroup');
  return {
    kind: 'servicePrincipal',
    subscriptionId: required(c, ns, cloudSecretName, 'azure_subscription_id'),
    tenantId: required(c, ns, cloudSecretName, 'azure_tenant_id'),
    clientId: required(c, ns, cloudSecretName, 'azure_client_id'),
    clientSecret,
    federatedTokenFile,
    resourceGroup,
    region: required(c, ns, cloudSecretName, 'azure_region'),
  };
}

/** Decodes a Secret's base64 `data` (and plain `stringData`, which only a create request carries). */
export function decodeSecretData(
  secret: { data?: Record<string, string>; stringData?: Record<string, string> } | undefined,
): SecretData | undefined {
  if (!secret) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(secret.data ?? {})) out[k] = Buffer.from(v, 'base64').toString('utf8');
  for (const [k, v] of Object.entries(secret.stringData ?? {})) out[k] = v;
  return out;
}
