/**
 * Formats a time the way Kubernetes serialises `metav1.Time`: RFC 3339 in UTC, whole seconds
 * (`2024-05-01T12:00:00Z`). Keeping the server's precision makes re-applied conditions compare equal.
 */
export function formatTime(now: Date): string {
  if (Number.isNaN(now.getTime())) {
    throw new RangeError('formatTime needs a valid Date; got an invalid one');
  }
  return now.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
