/** One app's Prometheus text exposition, as its own /metrics served it. */
export interface AppMetrics {
  app: string;
  text: string;
}

interface Family {
  help?: string;
  type?: string;
  samples: string[];
}

// name, optional {labels}, value (a number, Inf or NaN), optional timestamp.
const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})?(\s+[-+]?(?:\d[\d.]*(?:[eE][-+]?\d+)?|\.\d+|Inf|NaN)(?:\s+-?\d+)?)\s*$/;

/** `name{a="b"} 1` → `name{app="x",a="b"} 1`: the same metric names as a lone app, told apart by `app`. */
export function withAppLabel(line: string, app: string): string | undefined {
  const m = sample.exec(line);
  if (!m) return undefined;
  const [, name, labels, rest] = m;
  const inner = labels ? labels.slice(1, -1).trim() : '';
  return `${name}{app="${app}"${inner ? `,${inner}` : ''}}${rest}`;
}

/**
 * Every app's metrics as one exposition: each family once (its HELP and TYPE from the first app that
 * has it) with the samples of all apps, each labelled `app="<name>"`. Prometheus requires a family's
 * lines to be contiguous, so samples are grouped by family, not concatenated per app.
 */
export function mergeMetrics(parts: AppMetrics[]): string {
  const families = new Map<string, Family>();
  const family = (name: string): Family => {
    let f = families.get(name);
    if (!f) families.set(name, (f = { samples: [] }));
    return f;
  };
  for (const { app, text } of parts) {
    let current: string | undefined;
    for (const line of text.split('\n')) {
      const meta = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) ?(.*)$/.exec(line);
      if (meta) {
        const [, kind, name = '', value = ''] = meta;
        current = name;
        const f = family(name);
        if (kind === 'HELP') f.help ??= value;
        else f.type ??= value;
        continue;
      }
      if (line.trim() === '' || line.startsWith('#')) continue;
      const labelled = withAppLabel(line, app);
      if (!labelled) continue;
      // A sample belongs to the family declared above it (histogram _bucket/_sum/_count included).
      const name = current ?? labelled.slice(0, labelled.indexOf('{'));
      family(name).samples.push(labelled);
    }
  }
  const out: string[] = [];
  for (const [name, f] of families) {
    if (f.help !== undefined) out.push(`# HELP ${name} ${f.help}`);
    if (f.type !== undefined) out.push(`# TYPE ${name} ${f.type}`);
    out.push(...f.samples);
  }
  return out.length ? `${out.join('\n')}\n` : '';
}
