import {
  CredentialsError,
  cloudSecretName,
  missingKey,
  noCredentials,
  required,
  userSecretName,
  type CredentialSources,
} from './sources.ts';

export const AzureKeys = { accountKey: 'REGISTRY_STORAGE_AZURE_ACCOUNTKEY' } as const;

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
    }
  | {
      /** AKS workload identity of this app's pod: blob access with Entra tokens, no account key anywhere. */
      kind: 'workloadIdentity';
      tenantId: string;
      clientId: string;
      tokenFile: string;
      authorityHost: string | undefined;
    };

export function azureCredentials(
  src: CredentialSources,
  infraResourceGroup: string | undefined,
): AzureCredentials {
  const ns = src.namespace;
  if (src.user) {
    const accountKey = src.user[AzureKeys.accountKey];
    if (!accountKey) {
      throw new CredentialsError(
        'KeyMissing',
        `secret "${ns}/${userSecretName}" does not contain a non-empty "${AzureKeys.accountKey}": ` +
          `provide the storage account key, or delete the secret to use the cluster's credentials`,
      );
    }
    return { kind: 'accountKey', accountKey };
  }
  if (src.cloud) {
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
  const {
    AZURE_CLIENT_ID: clientId,
    AZURE_TENANT_ID: tenantId,
    AZURE_FEDERATED_TOKEN_FILE: tokenFile,
  } = src.env;
  if (clientId && tenantId && tokenFile)
    return {
      kind: 'workloadIdentity',
      clientId,
      tenantId,
      tokenFile,
      authorityHost: src.env['AZURE_AUTHORITY_HOST'] || undefined,
    };
  throw noCredentials(ns, `${AzureKeys.accountKey}, or give the storage app an Azure workload identity`);
}
