// Builds every image (pause, registry, test-client, one per app with a bundle target) into an OCI archive
// each, cached by content under ${IRO_CACHE_DIR:-~/.cache/image-registry-operator}/images, and prints one
// `<name>=<archive> <ref>` line per image. Progress and timings go to stderr.
//   usage: node tools/images/build.ts [--no-bundle] [name…]
//          node tools/images/build.ts --context <name> <dir>   the image's files in <dir>/rootfs, the
//                                                                build context of deploy/Containerfile
import { buildImages, imageBuildContext } from '@image-registry/testing';

const args = process.argv.slice(2);
if (args[0] === '--context') {
  const [, name, dir] = args;
  if (!name || !dir) throw new Error('usage: build.ts --context <name> <dir>');
  console.log(await imageBuildContext(name, dir));
} else {
  const only = args.filter((a) => !a.startsWith('--'));
  const images = await buildImages({
    only: only.length > 0 ? only : undefined,
    bundle: !args.includes('--no-bundle'),
    log: (line) => console.error(`images: ${line}`),
  });
  for (const img of images.values()) console.log(`${img.name}=${img.archive} ${img.ref}`);
}
