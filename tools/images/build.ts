// Builds every image (pause, registry, test-client, one per app with a bundle target) into an OCI archive
// each, cached by content under ${IRO_CACHE_DIR:-~/.cache/image-registry-operator}/images, and prints one
// `<name>=<archive> <ref>` line per image. Progress and timings go to stderr.
//   usage: node tools/images/build.ts [--no-bundle] [name…]
import { buildImages } from '@image-registry/testing';

const args = process.argv.slice(2);
const only = args.filter((a) => !a.startsWith('--'));
const images = await buildImages({
  only: only.length > 0 ? only : undefined,
  bundle: !args.includes('--no-bundle'),
  log: (line) => console.error(`images: ${line}`),
});
for (const img of images.values()) console.log(`${img.name}=${img.archive} ${img.ref}`);
