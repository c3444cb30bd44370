import type { ImagePrunerSpec } from '@image-registry/api';
import { formatGoDuration, parseGoDuration } from './go-duration.ts';
import type { JobFlavour } from './job-flavour.ts';
import { pruneLogLevel } from './log-level.ts';
import { serviceCAFile } from './names.ts';

/**
 * Upstream's retry wrapper (§10.3): run the command; on failure try up to five more times, saying so on
 * stderr and waiting i*30 s before attempt i+1; the last attempt's exit code is the job's.
 */
export const retryScript = [
  'set -eu',
  'i=0',
  'while :; do',
  '  rc=0',
  '  "$@" || rc=$?',
  '  if [ "$rc" -eq 0 ]; then exit 0; fi',
  '  i=$((i+1))',
  '  if [ "$i" -gt 5 ]; then exit "$rc"; fi',
  '  echo "attempt #$i has failed (exit code $rc), going to make another attempt..." >&2',
  '  sleep $((i*30))',
  'done',
].join('\n');

/** `--keep-younger-than`: the duration as Go prints it, else the deprecated nanoseconds, else 60m. */
export function keepYoungerThan(spec: Pick<ImagePrunerSpec, 'keepYoungerThanDuration' | 'keepYoungerThan'>): string {
  if (spec.keepYoungerThanDuration) return formatGoDuration(parseGoDuration(spec.keepYoungerThanDuration));
  if (spec.keepYoungerThan !== undefined) return formatGoDuration(BigInt(spec.keepYoungerThan));
  return '60m';
}

export interface PruneArgsInput {
  spec: ImagePrunerSpec;
  /** `Image.status.internalRegistryHostname`; empty when the registry is not served. */
  internalRegistryHostname: string | undefined;
  /** The registry's managementState: Removed or Unmanaged means the registry is not pruned. */
  managementState: string | undefined;
}

/** The prune flags shared by both flavours: oc's names, which our prune command accepts as well. */
export function pruneFlags(input: PruneArgsInput): string[] {
  const { spec } = input;
  const flags = [
    '--confirm=true',
    `--certificate-authority=${serviceCAFile}`,
    `--keep-tag-revisions=${spec.keepTagRevisions ?? 3}`,
    `--keep-younger-than=${keepYoungerThan(spec)}`,
    `--ignore-invalid-refs=${String(spec.ignoreInvalidImageReferences ?? false)}`,
    `--loglevel=${pruneLogLevel(spec.logLevel)}`,
  ];
  const state = input.managementState;
  const hostname = state === 'Removed' || state === 'Unmanaged' ? '' : (input.internalRegistryHostname ?? '');
  if (hostname) flags.push('--prune-registry=true', `--registry-url=https://${hostname}`);
  else flags.push('--prune-registry=false');
  return flags;
}

/** Where our prune command lives in the pruner image (deploy/Containerfile); it retries by itself. */
export const pruneCommand = ['node', '/app/main.mjs', 'prune'];

/**
 * The container's command and args. `oc`: `/bin/sh -c <retry> arg0 oc adm prune images <flags>`, as
 * upstream. `registry-api`: our command directly — the app image has no shell, and the command runs
 * the same retry loop in-process (prune/retry.ts).
 */
export function jobCommand(flavour: JobFlavour, input: PruneArgsInput, namespace: string): { command: string[]; args: string[] } {
  if (flavour === 'oc') return { command: ['/bin/sh'], args: ['-c', retryScript, 'arg0', 'oc', 'adm', 'prune', 'images', ...pruneFlags(input)] };
  const [node = 'node', ...rest] = pruneCommand;
  return { command: [node], args: [...rest, '--retries=5', ...pruneFlags(input), `--namespace=${namespace}`] };
}
