import { ClientSecretCredential, WorkloadIdentityCredential, type TokenCredential } from '@azure/identity';
import type { AzureCredentials } from '../../credentials/azure.ts';
import type { AzureCloud } from './clouds.ts';

type Identity = Exclude<AzureCredentials, { kind: 'accountKey' }>;

export class AzureIdentityError extends Error {
  override name = 'AzureIdentityError';
}

/**
 * The Entra credential of a service principal (client secret or federated token file) or of this
 * pod's workload identity. The federated token file is read by the SDK for every token request.
 */
export function azureTokenCredential(creds: Identity, cloud: AzureCloud): TokenCredential {
  const authorityHost = (creds.kind === 'workloadIdentity' && creds.authorityHost) || cloud.authorityHost;
  const tokenFile = creds.kind === 'workloadIdentity' ? creds.tokenFile : creds.federatedTokenFile;
  if (creds.kind === 'servicePrincipal' && creds.clientSecret)
    return new ClientSecretCredential(creds.tenantId, creds.clientId, creds.clientSecret, { authorityHost });
  if (tokenFile)
    return new WorkloadIdentityCredential({
      tenantId: creds.tenantId,
      clientId: creds.clientId,
      tokenFilePath: tokenFile,
      authorityHost,
    });
  throw new AzureIdentityError(
    'the Azure credentials have neither a client secret nor a federated token file',
  );
}
