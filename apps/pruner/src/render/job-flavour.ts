/**
 * Which prune job the CronJob runs, chosen like the registry flavour:
 * - `oc`: upstream's `oc adm prune images`, where the image.openshift.io API is served;
 * - `registry-api`: our prune command, which talks to the registry's HTTP API and reclaims blobs
 *   with the registry's own garbage-collect inside a read-only window.
 */
export type JobFlavour = 'oc' | 'registry-api';
export const jobFlavours: readonly JobFlavour[] = ['oc', 'registry-api'];
export function isJobFlavour(v: string): v is JobFlavour {
  return (jobFlavours as readonly string[]).includes(v);
}
