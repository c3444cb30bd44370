import { describe, expect, it } from 'vitest';
import { blockBegin, blockEnd, parseHostsSource, renderHostsFile } from './hosts-block.ts';

const base = '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost\n# admin comment\n10.0.0.5 db.internal\n';
const mapping = [{ ip: '10.96.0.20', names: ['image-registry.ns.svc', 'image-registry.ns.svc.cluster.local'] }];

describe('renderHostsFile', () => {
  it('appends the block once and leaves every other byte as it was', () => {
    const added = renderHostsFile(base, mapping);
    expect(added).toEqual({
      ok: true,
      changed: true,
      content: `${base}${blockBegin}\n10.96.0.20\timage-registry.ns.svc image-registry.ns.svc.cluster.local\n${blockEnd}\n`,
    });
    if (!added.ok) return;
    expect(renderHostsFile(added.content, mapping)).toEqual({ ok: true, changed: false, content: added.content });
  });

  it('updates the block in place, keeping lines after it', () => {
    const withBlock = `${base}${blockBegin}\n10.96.0.1\told\n${blockEnd}\n192.168.1.1 after\n`;
    const updated = renderHostsFile(withBlock, mapping);
    expect(updated.ok && updated.content).toBe(
      `${base}${blockBegin}\n10.96.0.20\timage-registry.ns.svc image-registry.ns.svc.cluster.local\n${blockEnd}\n192.168.1.1 after\n`,
    );
  });

  it('removes the block and restores the file exactly', () => {
    const added = renderHostsFile(base, mapping);
    if (!added.ok) throw new Error('not ok');
    expect(renderHostsFile(added.content, [])).toEqual({ ok: true, changed: true, content: base });
    const middle = `a\n${blockBegin}\nx y\n${blockEnd}\nb\n`;
    expect(renderHostsFile(middle, [])).toEqual({ ok: true, changed: true, content: 'a\nb\n' });
    const first = `${blockBegin}\nx y\n${blockEnd}\nb\n`;
    expect(renderHostsFile(first, [])).toEqual({ ok: true, changed: true, content: 'b\n' });
    expect(renderHostsFile(base, [])).toEqual({ ok: true, changed: false, content: base });
  });

  it('adds a newline only where the file lacked its last one', () => {
    const r = renderHostsFile('127.0.0.1 localhost', mapping);
    expect(r.ok && r.content.startsWith(`127.0.0.1 localhost\n${blockBegin}\n`)).toBe(true);
  });

  it('leaves a file with a half block alone and says how to fix it', () => {
    const r = renderHostsFile(`${base}${blockBegin}\n1.2.3.4 x\n`, mapping);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toContain('repair or remove the block by hand');
    expect(renderHostsFile(`${blockEnd}\n`, mapping).ok).toBe(false);
  });
});

describe('parseHostsSource', () => {
  it('keeps address-and-hostnames lines and refuses anything else', () => {
    const text = [
      '10.96.0.20 image-registry.ns.svc image-registry.ns.svc.cluster.local',
      'fd00::20\timage-registry.ns.svc',
      '# a comment',
      '',
      'not-an-ip host',
      '10.0.0.1',
      '10.0.0.1 bad/name',
      '10.0.0.1 evil\r',
    ].join('\n');
    const { mappings, refused } = parseHostsSource(text);
    expect(mappings).toEqual([
      { ip: '10.96.0.20', names: ['image-registry.ns.svc', 'image-registry.ns.svc.cluster.local'] },
      { ip: 'fd00::20', names: ['image-registry.ns.svc'] },
      { ip: '10.0.0.1', names: ['evil'] },
    ]);
    expect(refused).toEqual(['not-an-ip host', '10.0.0.1', '10.0.0.1 bad/name']);
  });
});
