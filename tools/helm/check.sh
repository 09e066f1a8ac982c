#!/usr/bin/env bash
# Validates the Helm chart and the Dockerfile; exits non-zero on the first failing step.
#   1. helm lint (strict) with the defaults and with every values-*.yaml
#   2. helm template with the defaults and with every values-*.yaml
#   3. kubeconform -strict on every rendered manifest, against the schemas of Kubernetes 1.27 (the
#      chart's oldest) and 1.37 (core kinds), and tools/helm/schemas (the ServiceMonitor CRD); a kind
#      without a schema is an error, never skipped
#   4. hadolint on the Dockerfile
#   5. the drift test (tools/helm/src/chart-env.spec.ts): chart env vars vs. the config schema
# Tools come from tools/helm/install-tools.sh (run first; a no-op when they are installed).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
bash tools/helm/install-tools.sh
TOOLS="${LEMO_TOOLS_DIR:-$ROOT/.tools}"
BIN="$TOOLS/bin"
KUBE_VERSIONS="${KUBE_VERSIONS:-1.27.0 1.37.0}"
CHART=helm/lemo-recommender
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT

values_files=(values.yaml $(cd "$CHART" && ls values-*.yaml | sort))

step() { echo; echo "== $*"; }

step "helm lint"
for f in "${values_files[@]}"; do
  "$BIN/helm" lint "$CHART" --strict -f "$CHART/$f" --quiet >"$OUT/lint.log" 2>&1 || { cat "$OUT/lint.log"; echo "helm lint failed with $f" >&2; exit 1; }
  echo "ok   $f"
done

step "helm template"
for f in "${values_files[@]}"; do
  "$BIN/helm" template lemo "$CHART" --namespace lemo -f "$CHART/$f" >"$OUT/${f%.yaml}.rendered.yaml"
  echo "ok   $f: $(grep -c '^kind:' "$OUT/${f%.yaml}.rendered.yaml") objects ($(grep '^kind:' "$OUT/${f%.yaml}.rendered.yaml" | sort | uniq -c | awk '{printf "%s%s %s", sep, $1, $3; sep=", "}'))"
done

for KUBE_VERSION in $KUBE_VERSIONS; do
  step "kubeconform -strict (Kubernetes $KUBE_VERSION)"
  "$BIN/kubeconform" -strict -summary -output text \
    -kubernetes-version "$KUBE_VERSION" \
    -schema-location "$TOOLS/kubernetes-json-schema/{{ .NormalizedKubernetesVersion }}-standalone{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json" \
    -schema-location "$ROOT/tools/helm/schemas/{{ .ResourceKind }}{{ .KindSuffix }}.json" \
    "$OUT"/*.rendered.yaml
done

step "hadolint Dockerfile"
"$BIN/hadolint" --config tools/helm/hadolint.yaml Dockerfile && echo "ok   Dockerfile"

step "drift: chart env vs. config schema"
HELM="$BIN/helm" npx jest -c tools/helm/jest.config.js

echo; echo "helm checks: all passed"
