// Placeholder until the control plane lands (issue 3).
export default function setup(): void {
  return undefined;
}
