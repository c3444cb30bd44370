#!/usr/bin/env bash
# Uninstalls image-registry-operator without losing an image and without leaving a stuck finalizer.
#   usage: tools/scripts/uninstall.sh <kubernetes|openshift|minimal> [--delete-namespace] [--dry-run]
#   NAMESPACE  the operand namespace if you changed it in the overlay (default openshift-image-registry)
# Order, and why:
#   1. Scale every app to zero: nothing re-bootstraps Config/cluster or reacts to what follows.
#   2. Release the storage finalizer of Config/cluster (only ours, others are kept): with the storage app
#      gone it would wait forever. Deleting the Config never deletes storage anyway; only
#      `managementState: Removed` does, and this script never sets it.
#   3. Delete what the overlay installed, except the namespaces unless --delete-namespace: a PVC in the
#      operand namespace holds the images of PVC storage, and deleting the namespace deletes the claim.
#      Buckets and containers (S3, GCS, Azure) are never touched; emptyDir images live only as long as the pod.
set -euo pipefail
cd "$(dirname "$0")/../.."
overlay="${1:-}"
shift || true
delete_ns=""
dry=""
for a in "$@"; do
  case "$a" in
    --delete-namespace) delete_ns=1 ;;
    --dry-run) dry=1 ;;
    *) echo "uninstall: unknown option $a" >&2; exit 2 ;;
  esac
done
[ -d "deploy/overlays/$overlay" ] || { echo "usage: $0 <$(ls deploy/overlays | paste -sd '|')> [--delete-namespace] [--dry-run]" >&2; exit 2; }
ns="${NAMESPACE:-openshift-image-registry}"
finalizer=imageregistry.operator.openshift.io/finalizer
config=configs.imageregistry.operator.openshift.io/cluster
say() { echo "uninstall: $*" >&2; }
run() { if [ -n "$dry" ]; then echo "+ $*"; else "$@"; fi; }

# 1. Stop the apps (the Deployments of the overlay, in the operand namespace).
deployments=$(kubectl kustomize "deploy/overlays/$overlay" | awk '/^kind: Deployment$/{d=1} /^---$/{d=0} d && /^  name: /{print $2}')
for d in $deployments; do
  kubectl -n "$ns" get deployment "$d" >/dev/null 2>&1 && run kubectl -n "$ns" scale deployment "$d" --replicas=0 >/dev/null
done
say "apps scaled to zero:" $deployments
if [ -z "$dry" ]; then
  for d in $deployments; do
    for _ in $(seq 60); do
      r=$(kubectl -n "$ns" get deployment "$d" -o jsonpath='{.status.replicas}' --ignore-not-found=true 2>/dev/null || true)
      [ -z "$r" ] || [ "$r" = 0 ] && break
      sleep 1
    done
  done
fi

# 2. Our finalizer only; what the storage holds stays where it is.
if storage=$(kubectl get "$config" -o jsonpath='{.status.storage}' 2>/dev/null); then
  say "storage kept: ${storage:-none}"
  case "$storage" in *'"pvc"'*) [ -n "$delete_ns" ] && say "warning: --delete-namespace deletes the PVC that holds the images" ;; esac
  finalizers=$(kubectl get "$config" -o jsonpath='{range .metadata.finalizers[*]}{@}{"\n"}{end}')
  i=0
  while IFS= read -r f; do
    if [ "$f" = "$finalizer" ]; then
      run kubectl patch "$config" --type=json -p "[{\"op\":\"test\",\"path\":\"/metadata/finalizers/$i\",\"value\":\"$finalizer\"},{\"op\":\"remove\",\"path\":\"/metadata/finalizers/$i\"}]" >/dev/null
      say "finalizer $finalizer released"
      break
    fi
    i=$((i + 1))
  done <<<"$finalizers"
fi

# 3. Everything the overlay installed (CRDs included on plain Kubernetes), namespaces only when asked.
manifests=$(kubectl kustomize "deploy/overlays/$overlay")
if [ -z "$delete_ns" ]; then
  # Drop the Namespace documents from the rendered stream.
  manifests=$(awk 'BEGIN{RS="\n---\n"; ORS="\n---\n"} !/(^|\n)kind: Namespace(\n|$)/' <<<"$manifests")
fi
if [ -n "$dry" ]; then
  echo "+ kubectl delete --ignore-not-found -f - <<< (kubectl kustomize deploy/overlays/$overlay${delete_ns:+}${delete_ns:- without Namespaces})"
else
  # A finalizer of someone else's on one of our custom resources would hold its CRD: say so, do not hang.
  kubectl delete --ignore-not-found=true --wait=true --timeout=180s -f - <<<"$manifests" ||
    { say "error: some objects are still terminating; see which finalizers hold them: kubectl get $config -o jsonpath='{.metadata.finalizers}'"; exit 1; }
fi
say "done; the storage (bucket, container or PVC) and its images are untouched"
[ -z "$delete_ns" ] && say "namespace $ns kept (registry objects the garbage collector removed with Config/cluster aside); delete it yourself once its PVC, if any, is no longer needed"
exit 0
