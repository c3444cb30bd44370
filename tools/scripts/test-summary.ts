// Adds up vitest's JSON reports (one per project) into a line per project with its wall time, then one
// closing line: "N passed, N failed". A file that failed outside its tests (a hook, an import) counts
// as failed too: its tests show as skipped, and "0 failed" would hide the red run.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface Report {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  success?: boolean;
  startTime?: number;
  testResults?: { endTime?: number; name?: string; status?: string; message?: string; assertionResults?: { status?: string }[] }[];
}

const dir = process.argv[2] ?? 'tmp/test-results';
const files = existsSync(dir)
  ? readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.json'))
  : [];
let passed = 0;
let failed = 0;
let skipped = 0;
const brokenFiles: string[] = [];
const times: [string, number, Report][] = [];
for (const f of files) {
  const r = JSON.parse(readFileSync(join(dir, f), 'utf8')) as Report;
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  skipped += r.numPendingTests + r.numTodoTests;
  // A failed file none of whose tests failed: the failure is the file's own (hook timeout, import error).
  for (const t of r.testResults ?? []) {
    if (t.status === 'failed' && !(t.assertionResults ?? []).some((a) => a.status === 'failed')) {
      brokenFiles.push(`${t.name ?? f}: ${(t.message ?? '').split('\n')[0]}`);
    }
  }
  // From the run's start (global setup included) to the last file's end: the project's wall time.
  const end = Math.max(0, ...(r.testResults ?? []).map((t) => t.endTime ?? 0));
  times.push([
    f.replace(/\.json$/, ''),
    r.startTime && end > r.startTime ? (end - r.startTime) / 1000 : 0,
    r,
  ]);
}
for (const [name, seconds, r] of times.sort((a, b) => b[1] - a[1])) {
  console.log(
    `${name.padEnd(32)} ${seconds.toFixed(0).padStart(5)} s  ${r.numPassedTests} passed, ${r.numFailedTests} failed`,
  );
}
for (const b of brokenFiles) console.log(`failed outside its tests: ${b}`);
const broken = brokenFiles.length > 0 ? `, ${brokenFiles.length} test files failed outside their tests` : '';
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped${broken}`);
process.exit(failed > 0 || brokenFiles.length > 0 || files.length === 0 ? 1 : 0);
