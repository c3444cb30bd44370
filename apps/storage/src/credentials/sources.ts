/**
 * Where storage credentials come from (upstream-inventory §7.1): `image-registry-private-configuration-user`
 * (the admin's override) and `installer-cloud-credentials` (minted by the cloud-credential-operator on
 * OpenShift); when the user secret exists it replaces the cloud secret entirely for that backend. Without
 * either, a backend may use the workload identity of the app's own pod (its environment).
 *
 * Values never reach logs or conditions: errors name secrets and keys only, and carry no cause.
 */

export const userSecretName = 'image-registry-private-configuration-user';
export const cloudSecretName = 'installer-cloud-credentials';

/**
 * Where the registry pod finds its projected ServiceAccount token (audience `openshift`), as
 * registry-workload mounts it: the token file every web-identity credential handed to the registry names.
 */
export const registryTokenFile = '/var/run/secrets/openshift/serviceaccount/token';

/** Decoded `data` of a Secret (values as UTF-8 text), or undefined when the Secret does not exist. */
export type SecretData = Readonly<Record<string, string>>;

export interface CredentialSources {
  namespace: string;
  user: SecretData | undefined;
  cloud: SecretData | undefined;
  /** The app's own environment (IRSA, GKE and AKS webhooks inject workload identity here). */
  env: Readonly<Record<string, string | undefined>>;
}

/**
 * Why credentials are unusable. Only `SecretMissing` may resolve by itself (the cloud secret is minted
 * later); the others wait for the admin to change a secret.
 */
export type CredentialsProblem = 'SecretMissing' | 'KeyMissing' | 'Malformed' | 'Unsupported';

export class CredentialsError extends Error {
  override name = 'CredentialsError';
  readonly problem: CredentialsProblem;

  constructor(problem: CredentialsProblem, message: string) {
    super(message);
    this.problem = problem;
  }

  /** Retrying can help: the secret may still appear. */
  get retriable(): boolean {
    return this.problem === 'SecretMissing';
  }
}

export function missingKey(ns: string, secret: string, key: string): CredentialsError {
  return new CredentialsError(
    'KeyMissing',
    `secret "${ns}/${secret}" does not contain required key "${key}"`,
  );
}

export function noCredentials(ns: string, hint: string): CredentialsError {
  return new CredentialsError(
    'SecretMissing',
    `unable to get cluster minted credentials "${ns}/${cloudSecretName}": the secret does not exist; ` +
      `create secret "${ns}/${userSecretName}" with ${hint}`,
  );
}

export function required(data: SecretData, ns: string, secret: string, key: string): string {
  const value = data[key];
  if (value === undefined || value === '') throw missingKey(ns, secret, key);
  return value;
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

/**
 * Every key name under which this app reads or writes a credential, for log redaction. Values under
 * these names never reach a log line.
 */
export const credentialKeyNames = [
  'REGISTRY_STORAGE_S3_ACCESSKEY',
  'REGISTRY_STORAGE_S3_SECRETKEY',
  'REGISTRY_STORAGE_GCS_KEYFILE',
  'REGISTRY_STORAGE_AZURE_ACCOUNTKEY',
  'application_default_credentials.json',
  'service_account.json',
  'credentials',
  'aws_access_key_id',
  'aws_secret_access_key',
  'aws_session_token',
  'accessKeyId',
  'secretAccessKey',
  'sessionToken',
  'sharedCredentialsFile',
  'keyfile',
  'private_key',
  'accountKey',
  'azure_client_secret',
  'clientSecret',
] as const;
