import { existsSync, readdirSync, readlinkSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';

/**
 * Every host pid in the PID namespace of `pid` (the node's pods, shims and daemons). Read before the
 * teardown kills them, so that stop() can wait until each is really gone: SIGKILL is asynchronous, and
 * a killed process stays in /proc until its parent reaps it.
 */
export function pidsInPidNamespaceOf(pid: number): number[] {
  let target: string;
  try {
    target = readlinkSync(`/proc/${pid}/ns/pid`);
  } catch {
    return [];
  }
  const out: number[] = [];
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    try {
      if (readlinkSync(`/proc/${p}/ns/pid`) === target) out.push(Number(p));
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

/** Waits until none of `pids` is in /proc any more; returns those still there at the deadline. */
export async function waitForPidsGone(pids: readonly number[], timeoutMs: number): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  let left = pids.filter((p) => existsSync(`/proc/${p}`));
  while (left.length > 0 && Date.now() < deadline) {
    await delay(100);
    left = left.filter((p) => existsSync(`/proc/${p}`));
  }
  return left;
}
