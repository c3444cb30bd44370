// What an admin looks at first, kept current: the ClusterOperator, the Config's conditions (one per app) and
// the registry's pods. Redrawn in place on a terminal; elsewhere printed again only when something changed.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface LiveViewOptions {
  kubectl: string;
  kubeconfig: string;
  namespace: string;
  /** Printed under the view: how to reach the system from a second shell. */
  footer: () => string;
  intervalMs?: number;
}

const sections = (ns: string): [string, string[]][] => [
  ['the one-line health', ['get', 'clusteroperator', 'image-registry']],
  [
    'what each app reports',
    [
      'get',
      'configs.imageregistry.operator.openshift.io',
      'cluster',
      '-o',
      'jsonpath={range .status.conditions[*]}{.type}={.status} {.reason}: {.message}{"\\n"}{end}',
    ],
  ],
  ['the registry', ['-n', ns, 'get', 'deployments,pods,services', '-l', 'docker-registry=default']],
];

export async function snapshot(
  o: Pick<LiveViewOptions, 'kubectl' | 'kubeconfig' | 'namespace'>,
): Promise<string> {
  const parts: string[] = [];
  for (const [title, args] of sections(o.namespace)) {
    try {
      const { stdout } = await run(o.kubectl, [`--kubeconfig=${o.kubeconfig}`, ...args], {
        encoding: 'utf8',
      });
      parts.push(`$ kubectl ${args.join(' ')}   # ${title}\n${stdout.trimEnd() || '(nothing yet)'}`);
    } catch (err) {
      parts.push(
        `# ${title}: ${((err as { stderr?: string }).stderr ?? (err as Error).message).split('\n')[0]}`,
      );
    }
  }
  return parts.join('\n\n');
}

/** Starts the view; returns a function that stops it. */
export function startLiveView(o: LiveViewOptions): () => void {
  let last = '';
  let stopped = false;
  const tty = process.stdout.isTTY;
  const tick = async () => {
    if (stopped) return;
    const now = await snapshot(o);
    if (now !== last && !stopped) {
      last = now;
      const stamp = new Date().toISOString().slice(11, 19);
      if (tty) process.stdout.write('\x1b[2J\x1b[H');
      process.stdout.write(`\n── ${stamp} UTC ──\n${now}\n${o.footer()}\n`);
    }
    if (!stopped) timer = setTimeout(() => void tick(), o.intervalMs ?? 3_000);
  };
  let timer = setTimeout(() => void tick(), 0);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

/** Polls until the ClusterOperator's condition `type` has `status`, or the deadline passes. */
export async function waitForCondition(
  o: Pick<LiveViewOptions, 'kubectl' | 'kubeconfig'>,
  type: string,
  status: string,
  timeoutMs: number,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const { stdout } = await run(o.kubectl, [
        `--kubeconfig=${o.kubeconfig}`,
        'get',
        'clusteroperator',
        'image-registry',
        '-o',
        `jsonpath={.status.conditions[?(@.type=="${type}")].status}`,
      ]);
      if (stdout === status) return true;
    } catch {
      // not created yet
    }
    await new Promise((r) => setTimeout(r, 1_000));
  }
  return false;
}
