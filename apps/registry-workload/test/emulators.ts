// TEMPORARY: libs/testing does not export its emulators from '@image-registry/testing' yet (apps/storage
// does the same). Switch this one line to '@image-registry/testing' once it does.
// eslint-disable-next-line @nx/enforce-module-boundaries
export * from '../../../libs/testing/src/emulators/index.ts';
