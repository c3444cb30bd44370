import type { NamespaceObject } from './resources.ts';

export interface ScopeOptions {
  /** `--ignored-namespaces`: namespaces never touched (exact names). */
  ignoredNamespaces: readonly string[];
  /** `--ignore-system-namespaces`: also kube-*, openshift-* and the operand namespace. */
  ignoreSystemNamespaces: boolean;
  /** The operand namespace. */
  operandNamespace: string;
}

/** Which namespaces both loops act in (ACP's knobs); a namespace being deleted is skipped. */
export class NamespaceScope {
  private readonly ignored: Set<string>;
  private readonly system: boolean;
  private readonly operand: string;

  constructor(opts: ScopeOptions) {
    this.ignored = new Set(opts.ignoredNamespaces);
    this.system = opts.ignoreSystemNamespaces;
    this.operand = opts.operandNamespace;
  }

  /** Whether a namespace is out of scope by name, whatever its state. */
  ignores(namespace: string): boolean {
    if (this.ignored.has(namespace)) return true;
    return this.system && (namespace.startsWith('kube-') || namespace.startsWith('openshift-') || namespace === this.operand);
  }

  /** Whether to act in this namespace now: in scope, known and not terminating. */
  active(namespace: string, ns: NamespaceObject | undefined): boolean {
    if (this.ignores(namespace) || !ns) return false;
    return !ns.metadata?.deletionTimestamp && ns.status?.phase !== 'Terminating';
  }
}
