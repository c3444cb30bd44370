// The project's control plane with kube-apiserver writing an audit log: a binaries folder linking every
// cached binary, kube-apiserver wrapped to add the audit flags. The cache itself is never built or touched.
import { chmodSync, existsSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The newest complete build under <cache>/control-plane (tools/control-plane/build.sh marks it `.complete`). */
export function cachedControlPlane(cacheRoot: string): string {
  const base = join(cacheRoot, 'control-plane');
  const builds = existsSync(base)
    ? readdirSync(base)
        .filter((d) => existsSync(join(base, d, '.complete')))
        .sort()
    : [];
  const last = builds.at(-1);
  if (!last)
    throw new Error(
      `no complete control-plane build under ${base}: run tools/control-plane/build.sh (or npm test) once`,
    );
  return join(base, last);
}

/** Metadata level for every request, one line per request: enough to count who read and wrote what. */
const policy = `apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
  - level: Metadata
`;

/** Prepares `<work>/control-plane` for IRO_CONTROL_PLANE_DIR; returns the audit log's path. */
export function auditedControlPlaneDir(cacheRoot: string, work: string): { dir: string; auditLog: string } {
  const cached = cachedControlPlane(cacheRoot);
  const dir = join(work, 'control-plane');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'bin'), { recursive: true });
  for (const f of readdirSync(join(cached, 'bin'))) {
    if (f !== 'kube-apiserver') symlinkSync(join(cached, 'bin', f), join(dir, 'bin', f));
  }
  symlinkSync(join(cached, 'stages.yaml'), join(dir, 'stages.yaml'));
  const policyFile = join(work, 'audit-policy.yaml');
  writeFileSync(policyFile, policy);
  const auditLog = join(work, 'audit.log');
  const wrapper = join(dir, 'bin', 'kube-apiserver');
  writeFileSync(
    wrapper,
    `#!/bin/sh\nexec "${join(cached, 'bin/kube-apiserver')}" --audit-policy-file="${policyFile}" --audit-log-path="${auditLog}" --audit-log-format=json "$@"\n`,
  );
  chmodSync(wrapper, 0o755);
  return { dir, auditLog };
}
