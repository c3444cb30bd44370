// The apps' own count of API answers: every app's client counts each request to the API server in
// rest_client_requests_total{verb,code} (libs/controller-runtime), so a refusal (403) shows there even
// when no log line mentions it (a retried read, a swallowed error).

declare module 'vitest' {
  export interface ProvidedContext {
    /** The metrics port of each app of the shared system (the global setup provides it). */
    metricsPorts: Record<string, number>;
  }
}

export interface RestSample {
  verb: string;
  code: string;
  value: number;
}

const series = /^rest_client_requests_total\{([^}]*)\}\s+(\S+)/;
const label = /(\w+)="((?:[^"\\]|\\.)*)"/g;

/** The rest_client_requests_total series of a Prometheus text exposition (pure). */
export function restRequests(exposition: string): RestSample[] {
  const out: RestSample[] = [];
  for (const line of exposition.split('\n')) {
    const m = series.exec(line);
    if (!m) continue;
    const labels = Object.fromEntries([...(m[1] ?? '').matchAll(label)].map((l) => [l[1], l[2]]));
    out.push({ verb: labels['verb'] ?? '', code: labels['code'] ?? '', value: Number(m[2]) });
  }
  return out;
}

/** GET /metrics of an app on loopback; an error names the app and what it answered. */
export async function scrape(app: string, port: number): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`, { signal: AbortSignal.timeout(10_000) });
  if (!res.ok) throw new Error(`${app}: GET /metrics on 127.0.0.1:${port} answered ${res.status}`);
  return res.text();
}

export interface RestCounts {
  app: string;
  /** Answers the API server gave, by code. */
  byCode: Record<string, number>;
}

/** Each app's API answers by code, as its metrics report them since it started. */
export async function restCounts(ports: Record<string, number>): Promise<RestCounts[]> {
  return Promise.all(
    Object.entries(ports).map(async ([app, port]) => {
      const byCode: Record<string, number> = {};
      for (const s of restRequests(await scrape(app, port))) byCode[s.code] = (byCode[s.code] ?? 0) + s.value;
      return { app, byCode };
    }),
  );
}

/** `<app>: <n> × 403` for every app whose metrics count a refusal; empty when none was refused. */
export async function refusedByMetrics(ports: Record<string, number>): Promise<string[]> {
  return (await restCounts(ports))
    .filter((c) => (c.byCode['403'] ?? 0) > 0)
    .map((c) => `${c.app}: ${c.byCode['403']} API answers 403 (rest_client_requests_total{code="403"})`);
}
