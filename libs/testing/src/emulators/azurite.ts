import { freePort } from '../control-plane/processes.ts';
import { ensureEmulators } from './binaries.ts';
import { baseEnv, emulatorRunDir, probe, spawnEmulator, waitUntilReady } from './process.ts';

/** Azurite's well-known development account (documented by Microsoft, not a secret). */
export const azuriteDevAccount = {
  name: 'devstoreaccount1',
  key: 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==',
} as const;

export interface AzuriteOptions {
  /** The one storage account Azurite serves (default: the well-known development account). */
  account?: { name: string; key: string };
  timeoutMs?: number;
}

export interface Azurite {
  /** `http://127.0.0.1:<port>/<account>`: the account's blob service URL. */
  endpoint: string;
  accountName: string;
  /** Base64 account key, for `StorageSharedKeyCredential`. */
  accountKey: string;
  /** For `BlobServiceClient.fromConnectionString`. */
  connectionString: string;
  runDir: string;
  logTail(lines?: number): string;
  stop(): Promise<void>;
}

/**
 * Starts Azurite's blob service only, in memory, on loopback. `--loose` and `--skipApiVersionCheck`
 * let the newest SDKs talk to it; telemetry is off so tests make no outbound calls. There is no
 * ARM (management) plane: storage accounts cannot be created through it.
 */
export async function startAzurite(opts: AzuriteOptions = {}): Promise<Azurite> {
  const { azuriteBlob, node } = await ensureEmulators();
  const account = opts.account ?? azuriteDevAccount;
  const runDir = emulatorRunDir();
  const port = await freePort();
  const env = baseEnv(runDir);
  if (opts.account) env['AZURITE_ACCOUNTS'] = `${account.name}:${account.key}`;
  const proc = spawnEmulator({
    name: 'azurite',
    bin: node,
    args: [
      azuriteBlob,
      '--blobHost',
      '127.0.0.1',
      '--blobPort',
      String(port),
      '--inMemoryPersistence',
      '--loose',
      '--skipApiVersionCheck',
      // The account comes from the path, never from a <account>.blob... host name.
      '--disableProductStyleUrl',
      '--disableTelemetry',
    ],
    env,
    runDir,
  });
  const endpoint = `http://127.0.0.1:${port}/${account.name}`;
  // Unauthenticated requests get 403: any HTTP answer means it is listening.
  await waitUntilReady(
    proc,
    () => probe(`${endpoint}?comp=list`, { anyStatus: true }),
    opts.timeoutMs ?? 30_000,
  );
  return {
    endpoint,
    accountName: account.name,
    accountKey: account.key,
    connectionString: `DefaultEndpointsProtocol=http;AccountName=${account.name};AccountKey=${account.key};BlobEndpoint=${endpoint};`,
    runDir,
    logTail: (n) => proc.logTail(n),
    stop: () => proc.stop(),
  };
}
