/**
 * Whether the node's containerd reads registry hosts from `certsDir`. containerd 1.x reads certs.d
 * folders only when its CRI registry `config_path` names them; 2.x (config version 3) defaults to
 * `/etc/containerd/certs.d:/etc/docker/certs.d`. Setting it is the node admin's part; the agent only
 * says so. Returns undefined when nothing needs saying.
 */
export function containerdConfigAdvice(configToml: string, certsDir: string): string | undefined {
  const lines = configToml.split('\n').map((l) => l.replace(/#.*/, '').trim());
  const paths = lines
    .map((l) => /^config_path\s*=\s*["']([^"']*)["']$/.exec(l)?.[1])
    .filter((p): p is string => p !== undefined);
  const line = `config_path = "${certsDir}"`;
  if (paths.length === 0) {
    if (lines.some((l) => /^version\s*=\s*3$/.test(l))) return undefined;
    return (
      `containerd does not read ${certsDir}: its config has no registry config_path. Add ${line} under ` +
      '[plugins."io.containerd.grpc.v1.cri".registry] (no restart of running pods is needed after containerd restarts)'
    );
  }
  if (paths.some((p) => p.split(':').includes(certsDir))) return undefined;
  return `containerd reads registry hosts from ${paths.join(', ')}, not ${certsDir}: add ${certsDir} to config_path (paths are separated by ":")`;
}
