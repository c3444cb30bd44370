/** A route this app owns, reduced to what the image config needs. */
export interface PublishedRoute {
  name: string;
  hosts: string[];
}

/**
 * `status.externalRegistryHostnames`: the default route's hosts first, then every other host sorted
 * and without duplicates (upstream §8). Upstream finds the default host by its prefix; the object
 * name says the same thing without depending on the namespace.
 */
export function externalRegistryHostnames(routes: readonly PublishedRoute[], defaultRouteName: string): string[] {
  const first = [...new Set(routes.filter((r) => r.name === defaultRouteName).flatMap((r) => r.hosts))];
  const rest = [
    ...new Set(routes.filter((r) => r.name !== defaultRouteName).flatMap((r) => r.hosts)),
  ].filter((h) => !first.includes(h));
  return [...first, ...rest.sort()];
}

/** `status.internalRegistryHostname`: `<service>.<namespace>.svc[:port]` (no port for 443), "" without a Service. */
export function internalRegistryHostname(
  service: { metadata?: { name?: string; namespace?: string }; spec?: { ports?: { port?: number }[] } } | undefined,
): string {
  if (!service?.metadata?.name || !service.metadata.namespace) return '';
  const host = `${service.metadata.name}.${service.metadata.namespace}.svc`;
  const port = service.spec?.ports?.[0]?.port;
  return port && port !== 443 ? `${host}:${port}` : host;
}
