/**
 * upstream's verifyResource: what OpenShift's own Config CRD does not reject at admission (it has no
 * minimum on replicas, no uniqueness on route names), checked before the schema so that the Config
 * reports upstream's texts instead of a schema message. Where our CRDs are installed, admission already
 * refuses both; this matters on OpenShift's CRD.
 */
export function verifyConfigSpec(spec: unknown): string | undefined {
  if (typeof spec !== 'object' || spec === null) return undefined;
  const { replicas, routes } = spec as { replicas?: unknown; routes?: unknown };
  if (typeof replicas === 'number' && replicas < 0) return 'replicas must be greater than or equal to 0';
  if (Array.isArray(routes)) {
    const names = routes.map((r) => (typeof r === 'object' && r !== null ? (r as { name?: unknown }).name : undefined));
    if (names.some((n, i) => n === 'default-route' || (n !== undefined && names.indexOf(n) !== i))) {
      return 'duplication of names has been detected in the additional routes';
    }
  }
  return undefined;
}
