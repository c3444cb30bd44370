import {
  CredentialsError,
  cloudSecretName,
  noCredentials,
  registryTokenFile,
  required,
  userSecretName,
  type CredentialSources,
} from './sources.ts';

export const GcsKeys = {
  /** A service-account key: the registry's GCS driver reads it as its keyfile. */
  keyfile: 'REGISTRY_STORAGE_GCS_KEYFILE',
  /** Any other Google credential file (external account / workload identity federation): the registry's ADC. */
  applicationDefault: 'application_default_credentials.json',
} as const;

export interface GcsCredentials {
  /** `service_account` (a key), or `external_account` (workload identity federation, no long-lived key). */
  type: string;
  /** The credential JSON, verbatim. */
  json: string;
  /** The parsed JSON, for the client library. */
  parsed: Record<string, unknown>;
  /** `project_id` from the key file, when it has one. */
  projectID: string | undefined;
}

/**
 * Parses a credential file. A JSON SyntaxError quotes the text around the error, so it is neither kept
 * as a cause nor quoted: only where the file came from is named.
 */
function parseCredential(json: string, where: string): GcsCredentials {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new CredentialsError('Malformed', `${where} is not a JSON Google credential file`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new CredentialsError('Malformed', `${where} is not a JSON Google credential file`);
  const rec = parsed as Record<string, unknown>;
  const type = typeof rec['type'] === 'string' ? rec['type'] : '';
  if (type !== 'service_account' && type !== 'external_account' && type !== 'impersonated_service_account')
    throw new CredentialsError(
      'Unsupported',
      `${where} has type "${type.slice(0, 40)}": use a service_account key or an external_account (workload identity federation) file`,
    );
  const projectID = rec['project_id'];
  return {
    type,
    json,
    parsed: rec,
    projectID: typeof projectID === 'string' && projectID ? projectID : undefined,
  };
}

export function gcsCredentials(src: CredentialSources, readFile: (path: string) => string): GcsCredentials {
  const ns = src.namespace;
  if (src.user)
    return parseCredential(
      required(src.user, ns, userSecretName, GcsKeys.keyfile),
      `key "${GcsKeys.keyfile}" of secret "${ns}/${userSecretName}"`,
    );
  if (src.cloud)
    return parseCredential(
      required(src.cloud, ns, cloudSecretName, 'service_account.json'),
      `key "service_account.json" of secret "${ns}/${cloudSecretName}"`,
    );
  // Workload identity federation: the app's own Application Default Credentials file.
  const adc = src.env['GOOGLE_APPLICATION_CREDENTIALS'];
  if (adc) {
    let json: string;
    try {
      json = readFile(adc);
    } catch {
      throw new CredentialsError(
        'SecretMissing',
        `GOOGLE_APPLICATION_CREDENTIALS names ${adc}, which cannot be read`,
      );
    }
    return parseCredential(json, `the file ${adc} (GOOGLE_APPLICATION_CREDENTIALS)`);
  }
  throw noCredentials(ns, `${GcsKeys.keyfile}, or give the storage app GOOGLE_APPLICATION_CREDENTIALS`);
}

/**
 * The private-configuration keys for the registry: a key as its keyfile; anything else as its ADC
 * file, with a file-sourced subject token pointed at the registry pod's own projected token (as an
 * OpenShift STS-mode secret already does), since this app's token path means nothing in that pod.
 */
export function gcsPrivateConfiguration(creds: GcsCredentials): Record<string, string> {
  if (creds.type === 'service_account') return { [GcsKeys.keyfile]: creds.json };
  const source = creds.parsed['credential_source'];
  const file =
    typeof source === 'object' && source !== null ? (source as Record<string, unknown>)['file'] : undefined;
  if (typeof file !== 'string' || file === registryTokenFile)
    return { [GcsKeys.applicationDefault]: creds.json };
  const rewritten = {
    ...creds.parsed,
    credential_source: { ...(source as object), file: registryTokenFile },
  };
  return { [GcsKeys.applicationDefault]: JSON.stringify(rewritten) };
}
