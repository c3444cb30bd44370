import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { guardRemoval } from './guard.ts';
import { layout, type NodePaths } from './layout.ts';

/**
 * The one teardown, as a shell script in the run folder, so a normal stop and the reaper of a killed
 * test process do exactly the same: kill the namespaces' processes (SIGKILL to the PID namespace's
 * first process ends every process in it, the containerd shims and pods included; the namespaces' mounts,
 * the pod bridge, the node's iptables and the veth go with them), then remove what lives outside the
 * namespaces: the cgroups (deepest first, once empty), the host guard chain, and the run folder.
 */
export function cleanupScript(paths: NodePaths, opts: { removeRunDir: boolean }): string {
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const dir = q(paths.runDir);
  return `#!/usr/bin/env bash
set -u
dir=${dir}
if [ -f "$dir/holder.pid" ]; then kill -KILL "$(cat "$dir/holder.pid")" 2>/dev/null; fi
if [ -f "$dir/pgids" ]; then while read -r g; do kill -KILL -- "-$g" 2>/dev/null; done < "$dir/pgids"; fi
roots=$(ls -d /sys/fs/cgroup/*/${layout.cgroupName} 2>/dev/null)
for i in $(seq 1 300); do
  busy=0
  for r in $roots; do
    if find "$r" -name cgroup.procs -exec cat {} + 2>/dev/null | grep -q .; then busy=1; fi
  done
  [ "$busy" = 0 ] && break
  sleep 0.1
done
for r in $roots; do find "$r" -depth -type d -exec rmdir {} \\; 2>/dev/null; done
${guardRemoval().join('\n')}
ip link del ${layout.hostVeth} 2>/dev/null
${opts.removeRunDir ? 'rm -rf "$dir"' : ''}
exit 0
`;
}

export function writeCleanupScript(paths: NodePaths, opts: { removeRunDir: boolean }): void {
  writeFileSync(paths.cleanupScript, cleanupScript(paths, opts), { mode: 0o700 });
}

/**
 * A watcher that outlives a SIGKILL of this process: when the owner pid is gone it runs the cleanup script.
 * Stopping normally runs the same script and then kills the watcher.
 */
export function startNodeReaper(paths: NodePaths): ChildProcess {
  const script = `while kill -0 ${process.pid} 2>/dev/null && [ -f "$1" ]; do sleep 1; done
[ -f "$1" ] && bash "$1"`;
  const reaper = spawn('bash', ['-c', script, 'real-node-reaper', paths.cleanupScript], { detached: true, stdio: 'ignore' });
  reaper.unref();
  return reaper;
}
