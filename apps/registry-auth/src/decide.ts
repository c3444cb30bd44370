import { parseAuthorization } from './credentials.ts';
import type { Decision } from './metrics.ts';
import type { Identity } from './review-api.ts';
import { ReviewUnavailableError, type Reviewer } from './reviewer.ts';
import type { AccessCheck, Route } from './route.ts';

/** What the proxy does with a request. */
export type Outcome =
  | { decision: 'allowed'; identity: Identity | undefined; dropMount: boolean }
  | { decision: Exclude<Decision, 'allowed'>; status: number; code: string; message: string; identity?: Identity | undefined; cause?: unknown };

function describe(check: AccessCheck): string {
  const resource = check.subresource ? `${check.resource}/${check.subresource}` : check.resource;
  const where = check.namespace ? `in the namespace "${check.namespace}"` : 'at the cluster scope';
  return `${check.verb} ${resource}.image.openshift.io ${where}`;
}

const roleFor: Record<string, string> = {
  get: 'system:image-puller',
  update: 'system:image-pusher',
  delete: 'system:image-pruner',
  list: 'system:image-pruner',
};

/**
 * Authenticates and authorizes one classified request. Review failures become 503 (fail closed); an
 * anonymous caller that is not allowed gets 401 so that clients retry with their credentials.
 */
export async function decide(reviewer: Reviewer, route: Route, authorization: string | string[] | undefined): Promise<Outcome> {
  if (route.kind === 'health') return { decision: 'allowed', identity: undefined, dropMount: false };
  if (route.kind === 'reject') return { decision: 'invalid', status: route.status, code: route.code, message: route.message };
  const credentials = parseAuthorization(authorization);
  if (credentials.kind === 'malformed') {
    return { decision: 'unauthenticated', status: 401, code: 'UNAUTHORIZED', message: `${credentials.reason}: send Basic credentials with a Kubernetes token as the password, or a Bearer token` };
  }
  const subject = reviewer.subject(credentials.kind === 'token' ? credentials.token : undefined);
  try {
    const identity = await reviewer.authenticate(subject);
    if (!identity) {
      return {
        decision: 'unauthenticated',
        status: 401,
        code: 'UNAUTHORIZED',
        message: 'the token was not accepted by the Kubernetes API (expired, revoked, or bound to an object that was deleted): log in again with a current token',
      };
    }
    const isAnonymous = subject.token === undefined;
    if (route.kind === 'base') {
      return isAnonymous
        ? { decision: 'unauthenticated', status: 401, code: 'UNAUTHORIZED', message: 'authentication required: log in with a Kubernetes token as the password' }
        : { decision: 'allowed', identity, dropMount: false };
    }
    const verdicts = await Promise.all(route.checks.map((c) => reviewer.authorize(subject, identity, c)));
    const refused = route.checks.find((_c, i) => !verdicts[i]);
    if (refused) {
      if (isAnonymous) {
        return { decision: 'unauthenticated', status: 401, code: 'UNAUTHORIZED', message: 'authentication required: log in with a Kubernetes token as the password', identity };
      }
      const role = roleFor[refused.verb] ?? 'a role';
      const grant = refused.namespace ? `a RoleBinding to ${role} in "${refused.namespace}"` : `a ClusterRoleBinding to ${role}`;
      return {
        decision: 'denied',
        status: 403,
        code: 'DENIED',
        message: `${identity.username} may not ${describe(refused)} (needed to ${route.action}${route.repository ? ` ${route.repository}` : ''}); ${grant} grants it`,
        identity,
      };
    }
    const dropMount = route.mount ? !(await reviewer.authorize(subject, identity, route.mount.check)) : false;
    return { decision: 'allowed', identity, dropMount };
  } catch (err) {
    if (!(err instanceof ReviewUnavailableError)) throw err;
    return {
      decision: 'unavailable',
      status: 503,
      code: 'UNAVAILABLE',
      message: `cannot check credentials now: ${err.message}; retry later`,
      cause: err,
    };
  }
}
