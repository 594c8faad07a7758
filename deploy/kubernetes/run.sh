#!/usr/bin/env bash
# Runs the shards, waits for them, merges, and exits with the verdict.
#   deploy/kubernetes/run.sh [namespace]
set -euo pipefail
ns=${1:-default}
here=$(dirname "$0")
kubectl -n "$ns" apply -f "$here/pvc.yaml"
kubectl -n "$ns" delete job livestream-bench-shards livestream-bench-merge --ignore-not-found
kubectl -n "$ns" apply -f "$here/shards-job.yaml"
# the longest a shard may take: ramp + steady + probes + close, with room
kubectl -n "$ns" wait --for=condition=complete --timeout=2h job/livestream-bench-shards
kubectl -n "$ns" apply -f "$here/merge-job.yaml"
kubectl -n "$ns" wait --for=condition=complete --timeout=10m job/livestream-bench-merge || true
kubectl -n "$ns" logs job/livestream-bench-merge
status=$(kubectl -n "$ns" get job livestream-bench-merge -o jsonpath='{.status.succeeded}')
[ "$status" = "1" ]
