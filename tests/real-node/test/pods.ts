import type { KubeConfig } from '@kubernetes/client-node';
import { applyYaml, kubeRequest, realNodePlacement, type RealNodeHandle } from '@image-registry/testing';

/** What the restricted Pod Security Standard asks of every container here (and the images allow). */
export const restricted = {
  runAsNonRoot: true,
  readOnlyRootFilesystem: true,
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};

/**
 * ServiceAccount `pusher` in `ns` with registry-auth's vocabulary for push and pull in its own namespace
 * (`update`/`get` on `imagestreams/layers`), the roles OpenShift's `system:image-builder`/`-puller` carry.
 */
export async function createPusher(kc: KubeConfig, ns: string): Promise<void> {
  await applyYaml(kc, [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'pusher', namespace: ns } },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'image-push-pull', namespace: ns },
      rules: [{ apiGroups: ['image.openshift.io'], resources: ['imagestreams/layers'], verbs: ['get', 'update'] }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'pusher-push-pull', namespace: ns },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'image-push-pull' },
      subjects: [{ kind: 'ServiceAccount', name: 'pusher', namespace: ns }],
    },
  ]);
}

/**
 * A dockerconfigjson Secret `pull` holding a bound token of `pusher` as the Basic password: what the
 * pull-secrets app injects, written here so the kubelet can authenticate its pull.
 */
export async function createPullSecret(kc: KubeConfig, ns: string, hostPort: string): Promise<void> {
  const tr = await kubeRequest<{ status: { token: string } }>(kc, 'POST', `/api/v1/namespaces/${ns}/serviceaccounts/pusher/token`, {
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'TokenRequest',
    spec: { expirationSeconds: 3600 },
  });
  const auth = Buffer.from(`serviceaccount:${tr.status.token}`).toString('base64');
  const config = JSON.stringify({ auths: { [hostPort]: { auth } } });
  await applyYaml(kc, {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'pull', namespace: ns },
    type: 'kubernetes.io/dockerconfigjson',
    data: { '.dockerconfigjson': Buffer.from(config).toString('base64') },
  });
}

/** A pod of the test client on the real node as `pusher`, resolving `registryHost` to the ClusterIP. */
export function clientPod(h: RealNodeHandle, ns: string, name: string, args: string[], hostAlias: { ip: string; host: string }) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns },
    spec: {
      ...realNodePlacement(h),
      restartPolicy: 'Never',
      serviceAccountName: 'pusher',
      // No cluster DNS on this node: the Service name maps to its ClusterIP in the pod's hosts file.
      hostAliases: [{ ip: hostAlias.ip, hostnames: [hostAlias.host] }],
      securityContext: { runAsUser: 65532, runAsGroup: 65532 },
      containers: [
        {
          name: 'client',
          image: h.images['test-client'],
          args,
          securityContext: restricted,
          volumeMounts: [{ name: 'ca', mountPath: '/ca', readOnly: true }],
        },
      ],
      volumes: [{ name: 'ca', configMap: { name: 'registry-ca' } }],
    },
  };
}

/** A pod that runs `image` (the pushed test client, `client serve`), pulled by the kubelet with secret `pull`. */
export function pulledPod(h: RealNodeHandle, ns: string, name: string, image: string) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns },
    spec: {
      ...realNodePlacement(h),
      imagePullSecrets: [{ name: 'pull' }],
      containers: [
        {
          name: 'pushed',
          image,
          imagePullPolicy: 'Always',
          readinessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 2 },
          securityContext: restricted,
        },
      ],
    },
  };
}
