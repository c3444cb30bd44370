// The upstream operator for the bench: its source (a given checkout, or extracted from a git dir), built
// offline from its vendor/ once per commit into the cache outside the clone, and the CRDs it needs.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import type { BenchOptions } from './options.ts';

export interface UpstreamBuild {
  commit: string;
  /** The openshift/api commit upstream's vendor/modules.txt names. */
  apiCommit: string;
  bin: string;
  crdDir: string;
}

export type UpstreamLookup = { ok: true; build: UpstreamBuild } | { ok: false; reason: string };

const git = (gitDir: string, ...args: string[]) =>
  execFileSync('git', [`--git-dir=${gitDir}`, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });

/** The config and route CRDs upstream's informers list, from openshift/api. */
const apiCrds = [
  'config/v1/zz_generated.crd-manifests/0000_00_cluster-version-operator_01_clusteroperators.crd.yaml',
  'config/v1/zz_generated.crd-manifests/0000_00_cluster-version-operator_01_clusterversions-Default.crd.yaml',
  'config/v1/zz_generated.crd-manifests/0000_03_config-operator_01_proxies.crd.yaml',
  'config/v1/zz_generated.crd-manifests/0000_10_config-operator_01_apiservers-Default.crd.yaml',
  'config/v1/zz_generated.crd-manifests/0000_10_config-operator_01_featuregates.crd.yaml',
  'config/v1/zz_generated.crd-manifests/0000_10_config-operator_01_images.crd.yaml',
  'config/v1/zz_generated.crd-manifests/0000_10_config-operator_01_infrastructures-Default.crd.yaml',
  'route/v1/zz_generated.crd-manifests/routes.crd.yaml',
];

/**
 * On OpenShift image.openshift.io is served by openshift-apiserver; a schemaless CRD of the same
 * group, version and kind lets upstream's ImageStream informer sync instead of retrying forever.
 */
const imageStreamStandIn = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'imagestreams.image.openshift.io' },
  spec: {
    group: 'image.openshift.io',
    names: {
      kind: 'ImageStream',
      listKind: 'ImageStreamList',
      plural: 'imagestreams',
      singular: 'imagestream',
    },
    scope: 'Namespaced',
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        subresources: { status: {} },
        schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
      },
    ],
  },
};

function source(o: BenchOptions): { src: string; commit: string } | { reason: string } {
  if (o.upstreamSrc) {
    if (!existsSync(join(o.upstreamSrc, 'vendor/modules.txt'))) {
      return {
        reason: `BENCH_UPSTREAM_SRC=${o.upstreamSrc} holds no vendor/modules.txt (an openshift/cluster-image-registry-operator checkout is needed)`,
      };
    }
    let commit: string;
    try {
      commit = execFileSync('git', ['-C', o.upstreamSrc, 'rev-parse', 'HEAD'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim();
    } catch {
      // Not a git checkout: key the cache by where it is and what it vendors.
      commit =
        'src-' +
        createHash('sha256')
          .update(o.upstreamSrc)
          .update(readFileSync(join(o.upstreamSrc, 'vendor/modules.txt')))
          .digest('hex')
          .slice(0, 12);
    }
    return { src: o.upstreamSrc, commit };
  }
  if (!existsSync(o.upstreamGitDir)) {
    return {
      reason:
        `no upstream source: ${o.upstreamGitDir} does not exist. Set BENCH_UPSTREAM_GIT_DIR to a git dir of ` +
        'openshift/cluster-image-registry-operator, or BENCH_UPSTREAM_SRC to an extracted checkout with vendor/',
    };
  }
  const commit = git(o.upstreamGitDir, 'rev-parse', `${o.upstreamRef}^{commit}`).trim();
  const dir = join(o.cacheRoot, 'bench', `upstream-${commit}`, 'src');
  if (!existsSync(join(dir, 'vendor/modules.txt'))) {
    const tmp = `${dir}.tmp`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    execFileSync('sh', [
      '-c',
      'git --git-dir="$0" archive "$1" | tar -x -C "$2"',
      o.upstreamGitDir,
      commit,
      tmp,
    ]);
    rmSync(dir, { recursive: true, force: true });
    renameSync(tmp, dir);
  }
  return { src: dir, commit };
}

/** `github.com/openshift/api v0.0.0-<date>-<12 hex>` in vendor/modules.txt. */
export function vendoredApiCommit(modulesTxt: string): string | undefined {
  return /^# github\.com\/openshift\/api v0\.0\.0-\d+-([0-9a-f]{12})$/m.exec(modulesTxt)?.[1];
}

function build(src: string, out: string): void {
  if (existsSync(out)) return;
  console.error(
    `side-by-side: building the upstream operator offline from ${src}/vendor (a few minutes, once per commit)`,
  );
  const tmp = `${out}.tmp`;
  execFileSync('nice', ['-n', '19', 'go', 'build', '-o', tmp, './cmd/cluster-image-registry-operator'], {
    cwd: src,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=vendor', CGO_ENABLED: '0' },
  });
  renameSync(tmp, out);
}

function crds(o: BenchOptions, src: string, apiCommit: string, dir: string): string | undefined {
  if (existsSync(join(dir, '.complete'))) return undefined;
  if (!existsSync(o.openshiftApiGitDir))
    return `no openshift/api git dir at ${o.openshiftApiGitDir} (set BENCH_OPENSHIFT_API_GIT_DIR)`;
  try {
    git(o.openshiftApiGitDir, 'cat-file', '-e', `${apiCommit}^{commit}`);
  } catch {
    return `${o.openshiftApiGitDir} lacks openshift/api ${apiCommit}, the commit upstream's vendor/modules.txt names`;
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const f of apiCrds)
    writeFileSync(
      join(dir, f.split('/').at(-1) ?? f),
      git(o.openshiftApiGitDir, 'show', `${apiCommit}:${f}`),
    );
  // The Config and ImagePruner CRDs as upstream vendors them.
  const vendored = join(src, 'vendor/github.com/openshift/api/imageregistry/v1/zz_generated.crd-manifests');
  for (const f of readdirSync(vendored).filter((f) => f.endsWith('.crd.yaml')))
    copyFileSync(join(vendored, f), join(dir, f));
  writeFileSync(join(dir, 'zz-stand-in-imagestreams.crd.yaml'), JSON.stringify(imageStreamStandIn, null, 2));
  writeFileSync(join(dir, '.complete'), '');
  return undefined;
}

/** Finds or builds the upstream operator; `ok: false` says what is missing. */
export function upstreamBuild(o: BenchOptions): UpstreamLookup {
  const s = source(o);
  if ('reason' in s) return { ok: false, reason: s.reason };
  const apiCommit = vendoredApiCommit(readFileSync(join(s.src, 'vendor/modules.txt'), 'utf8'));
  if (!apiCommit)
    return {
      ok: false,
      reason: `${s.src}/vendor/modules.txt names no github.com/openshift/api pseudo-version`,
    };
  const cache = join(o.cacheRoot, 'bench', `upstream-${s.commit}`);
  mkdirSync(cache, { recursive: true });
  const bin = join(cache, 'bin', 'cluster-image-registry-operator');
  mkdirSync(join(cache, 'bin'), { recursive: true });
  build(s.src, bin);
  const crdDir = join(cache, 'crds');
  const missing = crds(o, s.src, apiCommit, crdDir);
  if (missing) return { ok: false, reason: missing };
  return { ok: true, build: { commit: s.commit, apiCommit, bin, crdDir } };
}
