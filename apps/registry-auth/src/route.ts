/**
 * What a registry request needs, from its method and URL alone (pure). The vocabulary is OpenShift's,
 * so the same roles work on both platforms: pull = `get imagestreams/layers`, push = `update
 * imagestreams/layers` in the repository's namespace, delete = `delete images` and the catalog =
 * `list imagestreams`, both cluster-wide.
 */

export const imageGroup = 'image.openshift.io';

/** One SubjectAccessReview's resource attributes. */
export interface AccessCheck {
  verb: 'get' | 'update' | 'delete' | 'list';
  resource: 'imagestreams' | 'images';
  subresource?: 'layers';
  /** Absent: cluster-wide. */
  namespace?: string;
  name?: string;
}

/** The action a request performs, for metrics and messages. */
export type Action = 'pull' | 'push' | 'delete' | 'catalog' | 'base' | 'health';

export type Route =
  /** `GET /`: the registry's health answer, for probes; carries no data. */
  | { kind: 'health' }
  /** `/v2/`: any authenticated identity. */
  | { kind: 'base' }
  | { kind: 'access'; action: Action; repository?: string; checks: AccessCheck[]; mount?: MountSource }
  | { kind: 'reject'; status: number; code: string; message: string };

/** A cross-repository blob mount's source: allowed only where the caller may pull. */
export interface MountSource {
  repository: string;
  check: AccessCheck;
}

// One path component of a repository name, as distribution's reference grammar defines it.
const component = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const repositoryPattern = new RegExp(`^${component}(?:/${component})*$`);
const routePattern = new RegExp(
  `^/v2/(${component}(?:/${component})*)/(tags/list|manifests/[^/]+|blobs/uploads/[^/]*|blobs/[^/]+|referrers/[^/]+)$`,
);
// A Kubernetes namespace name (RFC 1123 label).
const namespacePattern = /^[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?$/;

function reject(status: number, code: string, message: string): Route {
  return { kind: 'reject', status, code, message };
}

type Split = { namespace: string; name: string } | { error: string };

/** `<namespace>/<name...>`: the first component is the namespace that owns the repository. */
export function splitRepository(repository: string): Split {
  const slash = repository.indexOf('/');
  if (slash < 0) {
    return {
      error: `repository name "${repository}" has one component; use <namespace>/<name> (the first component is the Kubernetes namespace that owns the image, e.g. myproject/${repository})`,
    };
  }
  const namespace = repository.slice(0, slash);
  if (!namespacePattern.test(namespace)) {
    return {
      error: `repository name "${repository}" does not start with a Kubernetes namespace: "${namespace}" must be a DNS label (lower-case letters, digits and "-")`,
    };
  }
  return { namespace, name: repository.slice(slash + 1) };
}

function layers(verb: 'get' | 'update', namespace: string, name: string): AccessCheck {
  return { verb, resource: 'imagestreams', subresource: 'layers', namespace, name };
}

/** The action of a method on a repository route; undefined when the registry has no such operation. */
function actionOf(method: string, suffix: string): 'pull' | 'push' | 'delete' | undefined {
  const uploads = suffix.startsWith('blobs/uploads/');
  const read = method === 'GET' || method === 'HEAD';
  if (uploads) {
    // Upload sessions: start (POST), send (PATCH), finish (PUT), status (GET), cancel (DELETE).
    return ['POST', 'PATCH', 'PUT', 'GET', 'DELETE'].includes(method) ? 'push' : undefined;
  }
  if (read) return 'pull';
  if (suffix.startsWith('manifests/')) {
    if (method === 'PUT') return 'push';
    if (method === 'DELETE') return 'delete';
    return undefined;
  }
  if (suffix.startsWith('blobs/') && method === 'DELETE') return 'delete';
  return undefined;
}

/** Classifies a request. `url` is the raw request target (path and query), as the client sent it. */
export function routeRequest(method: string, url: string): Route {
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const query = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
  if (path === '/') {
    return method === 'GET' || method === 'HEAD' ? { kind: 'health' } : reject(405, 'UNSUPPORTED', `${method} / is not supported`);
  }
  if (path === '/v2' || path === '/v2/') {
    return method === 'GET' || method === 'HEAD' ? { kind: 'base' } : reject(405, 'UNSUPPORTED', `${method} /v2/ is not supported`);
  }
  if (path === '/v2/_catalog') {
    if (method !== 'GET') return reject(405, 'UNSUPPORTED', `${method} /v2/_catalog is not supported`);
    return { kind: 'access', action: 'catalog', checks: [{ verb: 'list', resource: 'imagestreams' }] };
  }
  if (!path.startsWith('/v2/')) return reject(404, 'NOT_FOUND', `${path} is not a registry API path`);
  const m = routePattern.exec(path);
  if (!m?.[1] || !m[2]) {
    return reject(404, 'NAME_UNKNOWN', `${path} is not a registry API path (repository names are lower-case <namespace>/<name>)`);
  }
  const repository = m[1];
  const suffix = m[2];
  const split = splitRepository(repository);
  if ('error' in split) return reject(400, 'NAME_INVALID', split.error);
  const action = actionOf(method, suffix);
  if (!action) return reject(405, 'UNSUPPORTED', `${method} is not supported on /v2/${repository}/${suffix}`);
  if (action === 'delete') {
    // Deleting images is the pruner's right, cluster-wide (system:image-pruner).
    return { kind: 'access', action, repository, checks: [{ verb: 'delete', resource: 'images' }] };
  }
  const checks = [layers(action === 'pull' ? 'get' : 'update', split.namespace, split.name)];
  const route: Route = { kind: 'access', action, repository, checks };
  const from = query.get('from');
  if (action === 'push' && method === 'POST' && query.has('mount') && from !== null) {
    const source = repositoryPattern.test(from) ? splitRepository(from) : { error: 'invalid' };
    // An unusable source is no error: the registry then starts a plain upload, as it does for an unknown blob.
    if (!('error' in source)) route.mount = { repository: from, check: layers('get', source.namespace, source.name) };
  }
  return route;
}

/** The request target without `mount` and `from`, so the registry starts a plain upload instead of a mount. */
export function withoutMount(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const query = new URLSearchParams(url.slice(q + 1));
  query.delete('mount');
  query.delete('from');
  const rest = query.toString();
  return rest ? `${url.slice(0, q)}?${rest}` : url.slice(0, q);
}
