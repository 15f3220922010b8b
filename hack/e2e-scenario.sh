#!/usr/bin/env bash
# The end-to-end scenario, against whatever cluster $KUBECONFIG points at. One script for users
# (hack/kind-e2e.sh runs it on Kind) and for CI (the from-source node of test-env/node.sh runs it
# through deploy-tests' E2eScenarioOnNodeTest), so what CI checks is what a user runs.
#
# What it does, as a user would, with nothing in between:
#   1. `helm upgrade --install` of helm/pbtnas (the operator runs as a pod, with the chart's RBAC and
#      leader election), and waits for it;
#   2. a search namespace labelled pod-security.kubernetes.io/enforce=restricted;
#   3. the single-node ReadWriteMany volume of examples/storage/single-node-rwx.yaml in it;
#   4. the search (default examples/cpu-small.yaml) until Complete and Exported;
#   5. a reader pod (trainer image, restricted) that checks best/, history.json and report.html on the volume and
#      runs `pbtnas eval` of best/: its validation accuracy must equal status.best.score.
# What it needs: kubectl, helm (scripts/install-helm.sh), python3; the images pbtnas/operator:0.1.0
#   and pbtnas/trainer:0.1.0 on the node (hack/build-images.sh); the node directory /var/local/pbtnas
#   writable by uid 1001 (the caller prepares it: it is a path on the node).
# How long it takes: the search's own time plus about a minute.
# Usage: hack/e2e-scenario.sh [--search FILE] [--namespace NS] [--timeout 60m] [--keep] [--setup-only]
#   --keep leaves the search and the reader pod in place (default: removes the reader pod);
#   --setup-only stops after steps 1-3 (operator, namespace, volume) and prints `e2e: setup ok`.
# Last line on success: e2e: ok search=<ns>/<name> best=<score> eval=<score> seconds=<n>
set -euo pipefail
cd "$(dirname "$0")/.."

search_file=examples/cpu-small.yaml
ns=pbtnas-e2e
timeout=60m
keep=false
setup_only=false
while [[ $# -gt 0 ]]; do
  case "$1" in
    --search) search_file="${2:?--search needs a file}"; shift 2 ;;
    --namespace) ns="${2:?--namespace needs a name}"; shift 2 ;;
    --timeout) timeout="${2:?--timeout needs a duration, e.g. 30m}"; shift 2 ;;
    --keep) keep=true; shift ;;
    --setup-only) setup_only=true; shift ;;
    *) echo "e2e-scenario: unknown argument '$1' (known: --search FILE, --namespace NS, --timeout D, --keep, --setup-only)" >&2; exit 2 ;;
  esac
done

cache="${PBTNAS_CACHE_DIR:-$HOME/.cache/pbtnas}"
helm="$(command -v helm || echo "$cache/bin/helm")"
kubectl="${KUBECTL:-$(command -v kubectl || ls -d "$cache"/kube/v*/kubectl 2>/dev/null | tail -n 1)}"
for tool in "$kubectl" "$helm" python3; do
  command -v "$tool" >/dev/null || { echo "e2e-scenario: $tool not found (helm: scripts/install-helm.sh; kubectl: test-env/build.sh)" >&2; exit 1; }
done
[[ -f "$search_file" ]] || { echo "e2e-scenario: --search $search_file: no such file" >&2; exit 2; }
: "${KUBECONFIG:?e2e-scenario: set KUBECONFIG to the cluster to test}"

system_ns=pbtnas-system
k() { "$kubectl" "$@"; }
step() { printf '\n== %s\n' "$*" >&2; }
fail() {
  echo "e2e-scenario: FAILED: $*" >&2
  k get pods -A -o wide >&2 || true
  k -n "$system_ns" logs deployment/pbtnas --tail=60 >&2 || true
  [[ -n "${search:-}" ]] && k -n "$ns" describe pbtnassearch "$search" >&2 || true
  exit 1
}
started=$(date +%s)
search="$(python3 -c 'import sys,re
for line in open(sys.argv[1]):
    m = re.match(r"^  name:\s*(\S+)", line)
    if m: print(m.group(1)); break' "$search_file")"
[[ -n "$search" ]] || { echo "e2e-scenario: $search_file has no metadata.name" >&2; exit 2; }

step "helm install (operator as a pod, chart RBAC, leader election)"
"$helm" upgrade --install pbtnas helm/pbtnas --namespace "$system_ns" --create-namespace \
  --wait --timeout 5m >&2 || fail "helm install did not become ready"

step "search namespace $ns, pod security 'restricted' enforced"
k create namespace "$ns" --dry-run=client -o yaml | k apply -f - >&2
k label --overwrite namespace "$ns" pod-security.kubernetes.io/enforce=restricted \
  pod-security.kubernetes.io/enforce-version=latest pod-security.kubernetes.io/warn=restricted >&2

step "ReadWriteMany volume (examples/storage/single-node-rwx.yaml)"
# A volume kept (Retain) from a claim deleted earlier is Released and binds no new claim: free it,
# as its docs say a user does; its files stay where they are.
if [[ "$(k get pv pbtnas-checkpoints-hostpath -o jsonpath='{.status.phase}' 2>/dev/null)" == Released ]]; then
  k patch pv pbtnas-checkpoints-hostpath --type json -p '[{"op":"remove","path":"/spec/claimRef"}]' >&2
fi
k -n "$ns" apply -f examples/storage/single-node-rwx.yaml >&2
k -n "$ns" wait --for=jsonpath='{.status.phase}'=Bound pvc/pbtnas-checkpoints --timeout=60s >&2 \
  || fail "the claim pbtnas-checkpoints did not bind"
if $setup_only; then
  echo "e2e: setup ok namespace=$ns"
  exit 0
fi

step "search $search ($search_file)"
k -n "$ns" delete pbtnassearch "$search" --ignore-not-found --wait=true >&2
k -n "$ns" apply -f "$search_file" >&2
k -n "$ns" wait --for=condition=Complete "pbtnassearch/$search" --timeout="$timeout" >&2 \
  || fail "the search did not complete within $timeout"
k -n "$ns" wait --for=condition=Exported "pbtnassearch/$search" --timeout=5m >&2 \
  || fail "best/, history.json and report.html were not exported"
# The export's input (the search in a ConfigMap the search owns) is deleted once exported.
input_gone=false
for _ in $(seq 30); do
  left="$(k -n "$ns" get configmap "$search-export" --ignore-not-found -o name)" \
    || fail "could not read configmap $search-export"
  if [ -z "$left" ]; then input_gone=true; break; fi
  sleep 2
done
$input_gone || fail "the export's ConfigMap $search-export was not deleted after the export"
status="$(k -n "$ns" get pbtnassearch "$search" -o json)"
read -r dir best_score < <(python3 -c 'import json,sys
s = json.load(sys.stdin)
uid = s["metadata"]["uid"].replace("-", "")[:8]
print("%s/%s-%s" % (s["metadata"]["namespace"], s["metadata"]["name"], uid), repr(s["status"]["best"]["score"]))' <<<"$status")
trainer_image="$(python3 -c 'import json,sys; print(json.load(sys.stdin)["spec"]["trainer"]["image"])' <<<"$status")"

step "best/, history.json and report.html on the volume; pbtnas eval of best/ in $trainer_image"
reader=pbtnas-e2e-reader
k -n "$ns" delete pod "$reader" --ignore-not-found --wait=true >&2
k -n "$ns" apply -f - >&2 <<YAML
apiVersion: v1
kind: Pod
metadata: {name: $reader}
spec:
  restartPolicy: Never
  securityContext: {runAsNonRoot: true, runAsUser: 1001, runAsGroup: 1001, seccompProfile: {type: RuntimeDefault}}
  containers:
    - name: reader
      image: $trainer_image
      imagePullPolicy: IfNotPresent
      command: [sh, -c]
      args:
        - test -s /data/$dir/history.json && test -s /data/$dir/best/model.safetensors && grep -q 'class="member-row' /data/$dir/report.html && exec pbtnas eval --json /data/$dir/best
      securityContext: {allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: {drop: [ALL]}}
      resources: {requests: {cpu: 500m, memory: 1Gi}, limits: {memory: 1536Mi}}
      volumeMounts:
        - {name: checkpoints, mountPath: /data, readOnly: true}
        - {name: tmp, mountPath: /tmp}
  volumes:
    - {name: checkpoints, persistentVolumeClaim: {claimName: pbtnas-checkpoints, readOnly: true}}
    - {name: tmp, emptyDir: {}}
YAML
k -n "$ns" wait --for=jsonpath='{.status.phase}'=Succeeded "pod/$reader" --timeout=5m >&2 \
  || { k -n "$ns" logs "$reader" >&2 || true; fail "the reader pod did not succeed"; }
eval_json="$(k -n "$ns" logs "$reader" | tail -n 1)"
eval_score="$(python3 -c 'import json,sys; m = json.loads(sys.stdin.read()); print(repr(m.get("validationAccuracy", m["score"])))' <<<"$eval_json")" \
  || fail "pbtnas eval printed no metrics: $eval_json"
python3 -c 'import sys; a, b = float(sys.argv[1]), float(sys.argv[2]); sys.exit(0 if abs(a - b) < 1e-9 else 1)' \
  "$best_score" "$eval_score" || fail "pbtnas eval of best/ gave $eval_score, status.best.score is $best_score"

if ! $keep; then
  k -n "$ns" delete pod "$reader" --ignore-not-found >&2
fi
echo "e2e: ok search=$ns/$search best=$best_score eval=$eval_score seconds=$(( $(date +%s) - started ))"
