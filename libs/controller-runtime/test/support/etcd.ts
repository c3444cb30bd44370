import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The etcd client URL of a control plane started by libs/testing (read from etcd's command line). */
export function etcdClientUrl(runDir: string): string {
  for (const pid of readFileSync(join(runDir, 'pgids'), 'utf8').split('\n').filter(Boolean)) {
    let args: string[];
    try {
      args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    const flag = args.find((a) => a.startsWith('--listen-client-urls='));
    if (args[0]?.endsWith('etcd') && flag) return flag.slice('--listen-client-urls='.length).split(',')[0] ?? '';
  }
  throw new Error(`no running etcd found in ${runDir}/pgids`);
}

/** Compacts etcd's history up to its current revision, as kube-apiserver does every few minutes. */
export async function compactEtcd(clientUrl: string): Promise<number> {
  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${clientUrl}${path}`, { method: 'POST', body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`etcd ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as { header?: { revision?: string } };
  };
  const range = await post('/v3/kv/range', { key: Buffer.from('/').toString('base64'), limit: 1 });
  const revision = Number(range.header?.revision);
  await post('/v3/kv/compaction', { revision: String(revision), physical: true });
  return revision;
}
