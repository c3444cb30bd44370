import type { KubeClient } from '@image-registry/controller-runtime';
import type { AccessCheck } from './route.ts';
import { imageGroup } from './route.ts';

/** Who a token belongs to, as TokenReview reports it. */
export interface Identity {
  username: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

export const anonymous: Identity = Object.freeze({ username: 'system:anonymous', groups: ['system:unauthenticated'] });

/** The two API calls the proxy makes. An implementation throws when it gets no answer. */
export interface ReviewApi {
  /** The token's identity, or undefined when the API server does not accept the token. */
  tokenReview(token: string, signal: AbortSignal): Promise<Identity | undefined>;
  /** Whether the identity may do `check` (SubjectAccessReview). */
  accessReview(identity: Identity, check: AccessCheck, signal: AbortSignal): Promise<boolean>;
}

interface TokenReviewAnswer {
  status?: { authenticated?: boolean; error?: string; user?: { username?: string; uid?: string; groups?: string[]; extra?: Record<string, string[]> } };
}

interface AccessReviewAnswer {
  status?: { allowed?: boolean; denied?: boolean };
}

/** TokenReview and SubjectAccessReview through the runtime's client (counted in rest_client_*). */
export function kubeReviewApi(client: KubeClient): ReviewApi {
  return {
    async tokenReview(token, signal) {
      const answer = await client.request<TokenReviewAnswer>({
        verb: 'create',
        method: 'POST',
        path: '/apis/authentication.k8s.io/v1/tokenreviews',
        body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token } },
        signal,
      });
      const user = answer.status?.user;
      if (answer.status?.authenticated !== true || !user?.username) return undefined;
      const identity: Identity = { username: user.username, groups: user.groups ?? [] };
      if (user.uid) identity.uid = user.uid;
      if (user.extra) identity.extra = user.extra;
      return identity;
    },
    async accessReview(identity, check, signal) {
      const resourceAttributes: Record<string, string> = { group: imageGroup, resource: check.resource, verb: check.verb };
      if (check.subresource) resourceAttributes['subresource'] = check.subresource;
      if (check.namespace) resourceAttributes['namespace'] = check.namespace;
      if (check.name) resourceAttributes['name'] = check.name;
      const spec: Record<string, unknown> = { resourceAttributes, user: identity.username, groups: identity.groups };
      if (identity.uid) spec['uid'] = identity.uid;
      if (identity.extra) spec['extra'] = identity.extra;
      const answer = await client.request<AccessReviewAnswer>({
        verb: 'create',
        method: 'POST',
        path: '/apis/authorization.k8s.io/v1/subjectaccessreviews',
        body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec },
        signal,
      });
      return answer.status?.allowed === true && answer.status.denied !== true;
    },
  };
}
