import { freePort } from '../control-plane/processes.ts';
import { ensureEmulators } from './binaries.ts';
import { baseEnv, emulatorRunDir, probe, spawnEmulator, waitUntilReady } from './process.ts';

export interface FakeGcsOptions {
  /**
   * Location reported for every bucket (default US-CENTRAL1). fake-gcs-server ignores the location
   * a create request names: start one per location a test needs.
   */
  location?: string;
  timeoutMs?: number;
}

export interface FakeGcs {
  /**
   * `http://127.0.0.1:<port>`: `new Storage({ apiEndpoint: endpoint, projectId })`. The client sends no
   * credentials to a custom endpoint, so none are needed.
   */
  endpoint: string;
  projectId: string;
  runDir: string;
  logTail(lines?: number): string;
  stop(): Promise<void>;
}

/**
 * Starts fake-gcs-server over plain HTTP with the in-memory backend. It keeps only buckets, objects,
 * versioning and ACLs: labels, KMS keys and lifecycle are accepted but not stored. Deleting a
 * non-empty bucket answers 412 (real GCS answers 409).
 */
export async function startFakeGcs(opts: FakeGcsOptions = {}): Promise<FakeGcs> {
  const { fakeGcs: bin } = await ensureEmulators();
  const runDir = emulatorRunDir();
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const proc = spawnEmulator({
    name: 'fake-gcs',
    bin,
    args: [
      '-scheme=http',
      '-backend=memory',
      '-host=127.0.0.1',
      `-port=${port}`,
      // Upload and media URLs point back at this server instead of storage.googleapis.com.
      `-public-host=127.0.0.1:${port}`,
      `-external-url=${endpoint}`,
      `-location=${opts.location ?? 'US-CENTRAL1'}`,
      '-log-level=warn',
    ],
    env: baseEnv(runDir),
    runDir,
  });
  await waitUntilReady(proc, () => probe(`${endpoint}/storage/v1/b`), opts.timeoutMs ?? 30_000);
  return {
    endpoint,
    projectId: 'image-registry-test',
    runDir,
    logTail: (n) => proc.logTail(n),
    stop: () => proc.stop(),
  };
}
