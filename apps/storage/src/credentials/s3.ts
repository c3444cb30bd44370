import {
  CredentialsError,
  cloudSecretName,
  noCredentials,
  registryTokenFile,
  required,
  userSecretName,
  type CredentialSources,
} from './sources.ts';

export const S3Keys = {
  accessKey: 'REGISTRY_STORAGE_S3_ACCESSKEY',
  secretKey: 'REGISTRY_STORAGE_S3_SECRETKEY',
} as const;

/** What the app's own S3 calls authenticate with, and the file the registry gets (`credentials` key). */
export type S3Credentials =
  | {
      kind: 'static';
      accessKeyId: string;
      secretAccessKey: string;
      sessionToken?: string;
      sharedCredentialsFile: string;
    }
  | {
      /** IRSA / STS: a role assumed with a projected ServiceAccount token, no long-lived key anywhere. */
      kind: 'webIdentity';
      roleArn: string;
      /** The token file of this app's pod. */
      tokenFile: string;
      sharedCredentialsFile: string;
    };

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

/** `[default]` assuming `roleArn` with the registry pod's own token: what an IRSA-style cluster hands the registry. */
export function webIdentityCredentialsFile(roleArn: string, tokenFile = registryTokenFile): string {
  return `[default]\nrole_arn = ${roleArn}\nweb_identity_token_file = ${tokenFile}\n`;
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

function staticKeys(
  accessKeyId: string,
  secretAccessKey: string,
  file?: string,
  sessionToken?: string,
): S3Credentials {
  return {
    kind: 'static',
    accessKeyId,
    secretAccessKey,
    ...(sessionToken ? { sessionToken } : {}),
    sharedCredentialsFile: file ?? sharedCredentialsFile(accessKeyId, secretAccessKey),
  };
}

/** The cloud secret's `credentials` file: static keys, or (OpenShift STS mode) a role and token file. */
function fromCredentialsFile(file: string, src: CredentialSources): S3Credentials {
  const profile = parseSharedCredentials(file);
  const accessKeyId = profile['aws_access_key_id'];
  const secretAccessKey = profile['aws_secret_access_key'];
  // The registry gets the file verbatim: it may carry settings beyond the keys.
  if (accessKeyId && secretAccessKey)
    return staticKeys(accessKeyId, secretAccessKey, file, profile['aws_session_token']);
  const roleArn = profile['role_arn'];
  const tokenFile = profile['web_identity_token_file'];
  if (roleArn && tokenFile) return { kind: 'webIdentity', roleArn, tokenFile, sharedCredentialsFile: file };
  const ns = src.namespace;
  throw new CredentialsError(
    'Unsupported',
    `key "credentials" of secret "${ns}/${cloudSecretName}" has neither static aws_access_key_id and ` +
      `aws_secret_access_key nor role_arn and web_identity_token_file in its default profile: ` +
      `create secret "${ns}/${userSecretName}" with ${S3Keys.accessKey} and ${S3Keys.secretKey}`,
  );
}

export function s3Credentials(src: CredentialSources): S3Credentials {
  const ns = src.namespace;
  if (src.user) {
    return staticKeys(
      required(src.user, ns, userSecretName, S3Keys.accessKey),
      required(src.user, ns, userSecretName, S3Keys.secretKey),
    );
  }
  if (src.cloud) {
    const file = src.cloud['credentials'];
    if (file) return fromCredentialsFile(file, src);
    return staticKeys(
      required(src.cloud, ns, cloudSecretName, 'aws_access_key_id'),
      required(src.cloud, ns, cloudSecretName, 'aws_secret_access_key'),
    );
  }
  // IRSA: the pod identity webhook injects the role and the token file into this app's environment.
  const roleArn = src.env['AWS_ROLE_ARN'];
  const tokenFile = src.env['AWS_WEB_IDENTITY_TOKEN_FILE'];
  if (roleArn && tokenFile)
    return {
      kind: 'webIdentity',
      roleArn,
      tokenFile,
      sharedCredentialsFile: webIdentityCredentialsFile(roleArn),
    };
  if (roleArn || tokenFile) {
    const [set, unset] = roleArn
      ? ['AWS_ROLE_ARN', 'AWS_WEB_IDENTITY_TOKEN_FILE']
      : ['AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_ROLE_ARN'];
    throw new CredentialsError(
      'KeyMissing',
      `the storage app's environment sets ${set} but not ${unset}: set both for web identity`,
    );
  }
  throw noCredentials(
    ns,
    `${S3Keys.accessKey} and ${S3Keys.secretKey}, or give the storage app a web identity (AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE)`,
  );
}
