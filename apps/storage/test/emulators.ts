// TEMPORARY: libs/testing does not export its emulators yet; switch to '@image-registry/testing' then.
export { startMinio, startFakeGcs, startAzurite, type Minio, type FakeGcs, type Azurite } from '../../../libs/testing/src/emulators/index.ts';
