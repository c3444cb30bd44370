/**
 * Azure environments by the `cloudName` the API uses. `armCloud` is the setting of the Track-2 ARM
 * SDK; German and Stack Hub clouds have none (account creation there is not supported).
 */
export interface AzureCloud {
  /** The blob host suffix: `<account>.blob.<suffix>`; also the registry's REGISTRY_STORAGE_AZURE_REALM. */
  storageSuffix: string;
  authorityHost: string;
  armCloud: 'AZURE_PUBLIC_CLOUD' | 'AZURE_CHINA_CLOUD' | 'AZURE_US_GOVERNMENT' | undefined;
}

const clouds: Record<string, AzureCloud> = {
  AzurePublicCloud: {
    storageSuffix: 'core.windows.net',
    authorityHost: 'https://login.microsoftonline.com',
    armCloud: 'AZURE_PUBLIC_CLOUD',
  },
  AzureUSGovernmentCloud: {
    storageSuffix: 'core.usgovcloudapi.net',
    authorityHost: 'https://login.microsoftonline.us',
    armCloud: 'AZURE_US_GOVERNMENT',
  },
  AzureChinaCloud: {
    storageSuffix: 'core.chinacloudapi.cn',
    authorityHost: 'https://login.chinacloudapi.cn',
    armCloud: 'AZURE_CHINA_CLOUD',
  },
  AzureGermanCloud: {
    storageSuffix: 'core.cloudapi.de',
    authorityHost: 'https://login.microsoftonline.de',
    armCloud: undefined,
  },
};

/** The environment of a cloud name (empty: the public cloud); undefined for names we do not know. */
export function azureCloud(cloudName: string | undefined): AzureCloud | undefined {
  return clouds[cloudName || 'AzurePublicCloud'];
}

/** The blob service URL of an account: the `{account}` template when one is configured, else the cloud's host. */
export function blobServiceUrl(
  accountName: string,
  cloud: AzureCloud,
  endpointTemplate: string | undefined,
): string {
  if (endpointTemplate) return endpointTemplate.replaceAll('{account}', accountName);
  return `https://${accountName}.blob.${cloud.storageSuffix}`;
}
