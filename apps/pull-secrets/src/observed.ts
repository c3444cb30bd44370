import { hostsDigest } from './render/dockercfg.ts';

/** What every pull secret must match: the registry hosts and the API server's signing key IDs. */
export interface Observed {
  hosts: readonly string[];
  hostsDigest: string;
  keyIds: readonly string[];
}

/**
 * The observer loop's latest findings, read by the pull-secret loop. A change calls the listeners
 * (which queue every managed secret: all of them then fail the refresh test and get new tokens).
 */
export class ObservedState {
  private hosts: readonly string[] = [];
  private keyIds: readonly string[] = [];
  private keyError: string | undefined;
  /** The key ID of the last token minted for a pull secret: the one the API server signs with now. */
  private mintedKid: string | undefined;
  private readonly listeners: (() => void)[] = [];

  onChange(fn: () => void): void {
    this.listeners.push(fn);
  }

  /** Undefined until both lists are known and non-empty (the loop waits, as upstream's does). */
  current(): Observed | undefined {
    if (this.hosts.length === 0 || this.keyIds.length === 0) return undefined;
    const keyIds = this.mintedKid && !this.keyIds.includes(this.mintedKid) ? [...this.keyIds, this.mintedKid].sort() : this.keyIds;
    return { hosts: this.hosts, hostsDigest: hostsDigest(this.hosts), keyIds };
  }

  /**
   * A token just minted carries this key ID. When the published keys do not list it (a signing-key Secret
   * that lags the server), it counts as current too until the published keys change again: else every
   * fresh token would fail the key test at once and its secret would be rewritten in a loop.
   */
  sawMintedKid(kid: string | undefined): void {
    if (!kid || kid === this.mintedKid) return;
    const known = this.keyIds.includes(kid);
    this.mintedKid = kid;
    if (!known) for (const fn of this.listeners) fn();
  }

  get registryHosts(): readonly string[] {
    return this.hosts;
  }

  get signingKeyIds(): readonly string[] {
    return this.keyIds;
  }

  /** Why the key IDs are unknown, when they are. */
  get keyIdError(): string | undefined {
    return this.keyError;
  }

  /** Returns whether anything changed. */
  update(next: { hosts?: readonly string[]; keyIds?: readonly string[]; keyError?: string | undefined }): boolean {
    let changed = false;
    if (next.hosts && next.hosts.join('\n') !== this.hosts.join('\n')) {
      this.hosts = [...next.hosts];
      changed = true;
    }
    if (next.keyIds && next.keyIds.join('\n') !== this.keyIds.join('\n')) {
      this.keyIds = [...next.keyIds];
      // What the server signed with before the change proves nothing about now: the next token tells.
      this.mintedKid = undefined;
      changed = true;
    }
    if ('keyError' in next) this.keyError = next.keyError;
    if (changed) for (const fn of this.listeners) fn();
    return changed;
  }
}
