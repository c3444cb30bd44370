import { isIP } from 'node:net';
import { isHostname } from './keys.ts';

/**
 * The agent's block in the node's /etc/hosts. Only the lines between these two markers are ever
 * written or removed; every other byte of the file stays as it was.
 */
export const blockBegin = '# BEGIN image-registry-operator node-ca: registry host mappings (managed; edits are overwritten)';
export const blockEnd = '# END image-registry-operator node-ca';

/** One mapping line: an address and the names that resolve to it. */
export interface HostMapping {
  ip: string;
  names: string[];
}

const maxLines = 64;
const maxNamesPerLine = 16;

/**
 * The mappings of the hosts ConfigMap the controller writes (`/etc/hosts` syntax). The content is
 * untrusted like every key: a line that is not an IP address followed by hostnames is skipped and
 * reported, so nothing but a mapping can reach the node's /etc/hosts.
 */
export function parseHostsSource(text: string): { mappings: HostMapping[]; refused: string[] } {
  const mappings: HostMapping[] = [];
  const refused: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (line === '') continue;
    const [ip = '', ...names] = line.split(/[ \t]+/);
    if (isIP(ip) === 0 || names.length === 0 || names.length > maxNamesPerLine || !names.every(isHostname)) {
      refused.push(raw.slice(0, 200));
      continue;
    }
    if (mappings.length >= maxLines) {
      refused.push(raw.slice(0, 200));
      continue;
    }
    mappings.push({ ip, names });
  }
  return { mappings, refused };
}

export type BlockResult =
  | { ok: true; content: string; changed: boolean }
  | { ok: false; reason: string };

/**
 * /etc/hosts with the agent's block set to `mappings` (added at the end, replaced in place) or, for
 * no mappings, removed. A begin marker without its end marker means someone edited the block by
 * hand: the file is then left alone rather than guessing where the block ends.
 */
export function renderHostsFile(current: string, mappings: readonly HostMapping[]): BlockResult {
  const lines = current.split('\n');
  const begin = lines.indexOf(blockBegin);
  const end = begin === -1 ? -1 : lines.indexOf(blockEnd, begin + 1);
  if (begin !== -1 && end === -1) {
    return { ok: false, reason: `"${blockBegin}" has no "${blockEnd}" after it: repair or remove the block by hand` };
  }
  if (begin === -1 && lines.includes(blockEnd)) {
    return { ok: false, reason: `"${blockEnd}" has no "${blockBegin}" before it: repair or remove it by hand` };
  }
  const block = mappings.length === 0 ? [] : [blockBegin, ...mappings.map((m) => `${m.ip}\t${m.names.join(' ')}`), blockEnd];
  let next: string;
  if (begin === -1) {
    if (block.length === 0) return { ok: true, content: current, changed: false };
    const sep = current === '' || current.endsWith('\n') ? '' : '\n';
    next = `${current}${sep}${block.join('\n')}\n`;
  } else {
    // The block's lines and the newline that ends its last line; the rest is kept byte for byte.
    const before = lines.slice(0, begin);
    const after = lines.slice(end + 1);
    next = [...before, ...block, ...after].join('\n');
  }
  return { ok: true, content: next, changed: next !== current };
}
