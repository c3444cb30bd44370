export { buildImages, imageRepository } from './images/build.ts';
export type { BuiltImage, BuildImagesOptions } from './images/build.ts';
export { startRealNode, realNodeRunsRoot } from './start.ts';
export type { RealNode, RealNodeOptions } from './start.ts';
export { realNodeUnavailableReason } from './preflight.ts';
export { layout as realNodeLayout } from './layout.ts';
export { RealNodeError } from './namespace.ts';
