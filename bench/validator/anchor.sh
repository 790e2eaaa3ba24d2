#!/usr/bin/env bash
# The shell anchor of issue 17: what a competent shell user runs to prove a finished StatefulSet's
# rollout, its pods' A and PTR records (and, with PINS, their claims' binding): `kubectl rollout
# status`, ONE `kubectl get pods,pvc -o jsonpath`, ONE `dig -f` process for every question, compared
# with awk (anchor.awk). Exit 0 when everything holds, 1 naming each mismatch, other on errors.
# Environment: KUBECTL KUBECONFIG NS STS SVC SERVER PORT [DOMAIN=cluster.local] [CLAIM PINS].
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
k() { "$KUBECTL" --kubeconfig "$KUBECONFIG" "$@"; }
objects=$(mktemp)
trap 'rm -f "$objects" "$objects.q" "$objects.a"' EXIT
k -n "$NS" rollout status "statefulset/$STS" --timeout=60s >/dev/null
k -n "$NS" get pods,pvc -l "app=$STS" -o jsonpath='{range .items[*]}{.kind} {.metadata.name} {.status.podIP}{.spec.volumeName} {.status.phase}{"\n"}{end}' >"$objects"
awk -v svc="$SVC" -v ns="$NS" -v domain="${DOMAIN:-cluster.local}" \
  '$1 == "Pod" { print $2 "." svc "." ns ".svc." domain " A"; if ($3 != "") print "-x " $3 }' "$objects" >"$objects.q"
dig "@$SERVER" -p "$PORT" +time=2 +tries=1 +noall +answer -f "$objects.q" >"$objects.a"
awk -v svc="$SVC" -v ns="$NS" -v sts="$STS" -v domain="${DOMAIN:-cluster.local}" -v claim="${CLAIM:-}" \
  -v pins="${PINS:-}" -f "$here/anchor.awk" "$objects" "$objects.a"
