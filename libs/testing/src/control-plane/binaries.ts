import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { workspaceRoot } from '../workspace.ts';

const run = promisify(execFile);

export interface ControlPlaneBinaries {
  /** Folder holding etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kubectl, kwok. */
  binDir: string;
  /** kwok's stage definitions (node initialise and heartbeat, pod ready/complete/delete). */
  stagesFile: string;
}

let cached: Promise<ControlPlaneBinaries> | undefined;

/**
 * Builds (first time, about 6 minutes on 2 cores) or finds the control-plane binaries in the cache
 * outside the clone. `IRO_CONTROL_PLANE_DIR` points at a prepared folder and skips the build script.
 */
export function controlPlaneBinaries(): Promise<ControlPlaneBinaries> {
  cached ??= locate();
  return cached;
}

async function locate(): Promise<ControlPlaneBinaries> {
  let dir = process.env['IRO_CONTROL_PLANE_DIR'];
  if (!dir) {
    const script = join(workspaceRoot(), 'tools/control-plane/build.sh');
    try {
      const { stdout } = await run('bash', [script], { maxBuffer: 64 * 1024 * 1024 });
      dir = stdout.trim().split('\n').at(-1) ?? '';
    } catch (err) {
      const stderr = (err as { stderr?: string }).stderr ?? '';
      throw new Error(`building the control plane failed (${script}):\n${stderr.split('\n').slice(-15).join('\n')}`, {
        cause: err,
      });
    }
  }
  const found = { binDir: join(dir, 'bin'), stagesFile: join(dir, 'stages.yaml') };
  if (!existsSync(join(found.binDir, 'kube-apiserver'))) {
    throw new Error(`no kube-apiserver in ${found.binDir}; run tools/control-plane/build.sh`);
  }
  return found;
}
