import { allInOneImage } from './all-in-one.ts';
import type { ImageRuntimeConfig } from './oci.ts';

/** A file in an image: copied from the build machine (`source`) or written from `text`. */
export type FileSpec =
  | { type: 'file'; path: string; mode: number; source: string; uid?: number; gid?: number }
  | { type: 'text'; path: string; mode: number; text: string }
  | { type: 'dir'; path: string; mode: number; uid?: number; gid?: number };

/** One layer: built once per distinct content and shared by every image that lists the same files. */
export interface LayerSpec {
  files: FileSpec[];
}

export interface ImageDefinition {
  /** `pause`, `registry`, `test-client`, or the app's folder name under apps/. */
  name: string;
  layers: LayerSpec[];
  config: ImageRuntimeConfig;
}

/** What the definitions are made from, all found on the build machine. */
export interface ImageInputs {
  /** The Node 24 binary of the npm `node` package. */
  node: string;
  /** The shared libraries the Node binary loads (`ldd`), at the path the loader looks for each. */
  sharedLibraries: { path: string; source: string }[];
  /** Each app's bundle folder (dist/apps/<app>), by app name. */
  bundles: { app: string; files: { path: string; source: string }[] }[];
  /** The launcher's bundle folder (dist/tools/launcher), for the all-in-one image; absent: no such image. */
  launcher?: { path: string; source: string }[];
  /** The CNCF distribution registry (tools/emulators). */
  registry: string;
  /** The static pause binary (tools/images/go); as `sleep` it is the registry image's preStop. */
  pause: string;
  /** The static test client (tools/images/go). */
  client: string;
}

/** The user every image but the registry runs as (the Deployments set the same). */
export const nonRootUser = '65532:65532';
/** The registry's user: what apps/registry-workload sets as runAsUser where no SCC picks one. */
export const registryUser = '1001:1001';

export const appRuntime = {
  nodePath: '/nodejs/bin/node',
  appDir: '/app',
  // No --enable-source-maps: it parses the whole map at load and costs ~115 MB per app (status: 220 → 105 MB
  // idle RSS). The map ships beside the bundle; NODE_OPTIONS=--enable-source-maps maps traces when debugging.
  // Interpreter only: ~12 MiB less idle RSS per app, wasm (fetch) kept; deploy/Containerfile says why.
  entrypoint: ['/nodejs/bin/node', '--no-opt', '--no-maglev', '--no-sparkplug', '/app/main.mjs'],
  env: ['NODE_ENV=production', 'PATH=/nodejs/bin:/bin'],
} as const;

const etc: FileSpec[] = [
  { type: 'text', path: '/etc/passwd', mode: 0o644, text: 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\nregistry:x:1001:1001:registry:/var/lib/registry:/sbin/nologin\n' },
  { type: 'text', path: '/etc/group', mode: 0o644, text: 'root:x:0:\nnonroot:x:65532:\nregistry:x:1001:\n' },
  // A mount point for an emptyDir: the root filesystem is read-only.
  { type: 'dir', path: '/tmp', mode: 0o1777 },
];

/**
 * The CNCF image's configuration file, in our words: filesystem storage and :5000, with every setting
 * that matters overridden by the REGISTRY_* environment that apps/registry-workload renders.
 */
export const registryConfigYaml = `version: 0.1
log:
  fields:
    service: registry
storage:
  cache:
    blobdescriptor: inmemory
  filesystem:
    rootdirectory: /var/lib/registry
http:
  addr: :5000
  headers:
    X-Content-Type-Options: [nosniff]
health:
  storagedriver:
    enabled: true
    interval: 10s
    threshold: 3
`;

/** Every image the project builds, from `inputs`. Pure: the same inputs give the same definitions. */
export function imageDefinitions(inputs: ImageInputs): ImageDefinition[] {
  // Node and its libraries are one layer that every app image shares (one blob, unpacked once per node).
  const nodeBase: LayerSpec = {
    files: [
      ...etc,
      { type: 'file', path: appRuntime.nodePath, mode: 0o755, source: inputs.node },
      // The Deployments' preStop hooks run `sleep`; there is no shell, so the static one from tools/images/go.
      { type: 'file', path: '/bin/sleep', mode: 0o755, source: inputs.pause },
      ...inputs.sharedLibraries.map((l): FileSpec => ({ type: 'file', path: l.path, mode: 0o755, source: l.source })),
    ],
  };
  const apps = [...inputs.bundles]
    .sort((a, b) => a.app.localeCompare(b.app))
    .map(
      (b): ImageDefinition => ({
        name: b.app,
        layers: [
          nodeBase,
          {
            files: b.files.map((f): FileSpec => ({ type: 'file', path: `${appRuntime.appDir}/${f.path}`, mode: 0o644, source: f.source })),
          },
        ],
        config: {
          User: nonRootUser,
          Entrypoint: [...appRuntime.entrypoint],
          Env: [...appRuntime.env],
          WorkingDir: appRuntime.appDir,
          Labels: { 'org.opencontainers.image.title': `image-registry-operator ${b.app}` },
        },
      }),
    );
  return [
    {
      name: 'pause',
      layers: [{ files: [{ type: 'file', path: '/pause', mode: 0o755, source: inputs.pause }] }],
      config: { User: '65535:65535', Entrypoint: ['/pause'] },
    },
    {
      name: 'registry',
      layers: [
        {
          files: [
            ...etc,
            { type: 'file', path: '/bin/registry', mode: 0o755, source: inputs.registry },
            { type: 'file', path: '/bin/sleep', mode: 0o755, source: inputs.pause },
            // The pruner's init container copies /bin/registry out with `cp` (the upstream image has busybox).
            { type: 'file', path: '/bin/cp', mode: 0o755, source: inputs.client },
            { type: 'text', path: '/etc/distribution/config.yml', mode: 0o644, text: registryConfigYaml },
            { type: 'dir', path: '/var/lib/registry', mode: 0o755, uid: 1001, gid: 1001 },
          ],
        },
      ],
      config: {
        User: registryUser,
        Entrypoint: ['/bin/registry'],
        Cmd: ['serve', '/etc/distribution/config.yml'],
      },
    },
    {
      name: 'test-client',
      layers: [{ files: [...etc, { type: 'file', path: '/client', mode: 0o755, source: inputs.client }] }],
      config: { User: nonRootUser, Entrypoint: ['/client'], Cmd: ['serve'] },
    },
    ...apps,
    ...(inputs.launcher && apps[0] ? [allInOneImage(nodeBase, inputs.launcher, inputs.bundles, apps[0].config)] : []),
  ];
}
