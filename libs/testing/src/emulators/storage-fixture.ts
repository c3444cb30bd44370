import { afterAll } from 'vitest';
import { startAzurite, type Azurite, type AzuriteOptions } from './azurite.ts';
import { startFakeGcs, type FakeGcs, type FakeGcsOptions } from './fake-gcs.ts';
import { startMinio, type Minio, type MinioOptions } from './minio.ts';

export interface StorageEmulatorOptions {
  /** Default: MinIO with its static KMS key (PutBucketEncryption works). */
  minio?: MinioOptions;
  gcs?: FakeGcsOptions;
  azurite?: AzuriteOptions;
}

/** Each emulator started on first use, once per test file, and stopped after the file's last test. */
export interface StorageEmulators {
  minio(): Promise<Minio>;
  gcs(): Promise<FakeGcs>;
  azurite(): Promise<Azurite>;
}

/**
 * The storage emulators of one test file: call at the top level of the file, then `await
 * emulators.minio()` in a hook or test. Only the emulators a file asks for are started; all of them are
 * stopped (and their data removed) in an `afterAll` this registers.
 */
export function useStorageEmulators(opts: StorageEmulatorOptions = {}): StorageEmulators {
  const running: Promise<{ stop(): Promise<void> }>[] = [];
  const once = <T extends { stop(): Promise<void> }>(start: () => Promise<T>) => {
    let started: Promise<T> | undefined;
    return () => {
      if (!started) {
        started = start();
        running.push(started);
      }
      return started;
    };
  };
  afterAll(async () => {
    const settled = await Promise.allSettled(running);
    await Promise.all(settled.map((s) => (s.status === 'fulfilled' ? s.value.stop() : undefined)));
  });
  return {
    minio: once(() => startMinio(opts.minio ?? { kmsKey: true })),
    gcs: once(() => startFakeGcs(opts.gcs)),
    azurite: once(() => startAzurite(opts.azurite)),
  };
}
