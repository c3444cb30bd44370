/**
 * The registry's in-cluster hostnames as ConfigMap keys: `image-registry.<ns>.svc..5000` and the
 * `.cluster.local` form (`..` stands for `:`, which keys cannot hold; no port suffix for 443).
 */
export function serviceHostKeys(namespace: string, serviceName: string, port: number | undefined): string[] {
  const suffix = port === undefined || port === 443 ? '' : `..${port}`;
  return [`${serviceName}.${namespace}.svc${suffix}`, `${serviceName}.${namespace}.svc.cluster.local${suffix}`];
}

/** The names that resolve to the Service on nodes (no port: /etc/hosts maps names, not ports). */
export function serviceHostnames(namespace: string, serviceName: string): string[] {
  return [`${serviceName}.${namespace}.svc`, `${serviceName}.${namespace}.svc.cluster.local`];
}
