{{/* Prefix of every object's name (the existing deployment's lemo-service-recommender). */}}
{{- define "lemo.fullname" -}}
{{- default (printf "%s-%s" .Release.Name .Chart.Name) .Values.fullnameOverride | trunc 40 | trimSuffix "-" -}}
{{- end -}}

{{- define "lemo.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "lemo.imageTag" -}}
{{- default .Chart.AppVersion .Values.image.tag -}}
{{- end -}}

{{/* Labels on every object. */}}
{{- define "lemo.labels" -}}
helm.sh/chart: {{ include "lemo.chart" . }}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ include "lemo.imageTag" . | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: lemo-recommender
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Selector labels of one app; call with (dict "root" $ "app" $app). */}}
{{- define "lemo.selectorLabels" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .app.name }}
{{- end -}}

{{- define "lemo.appLabels" -}}
{{ include "lemo.labels" .root }}
app.kubernetes.io/component: {{ .app.name }}
{{- end -}}

{{- define "lemo.appFullname" -}}
{{- printf "%s-%s" (include "lemo.fullname" .root) .app.name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "lemo.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "lemo.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* The enabled apps, in a stable order, as a YAML list of their values keys. */}}
{{- define "lemo.enabledApps" -}}
{{- $keys := list -}}
{{- range $key := list "allInOne" "api" "grpc" "worker" "beat" "consumer" "streams" "modelServer" -}}
{{- $app := index $.Values.apps $key -}}
{{- if and $app $app.enabled -}}{{- $keys = append $keys $key -}}{{- end -}}
{{- end -}}
{{- toYaml $keys -}}
{{- end -}}

{{/*
The driver of each port group as loadConfig picks it: the override, else cluster's choice on
PROFILE=cluster, else embedded. Returned as YAML.
*/}}
{{- define "lemo.drivers" -}}
{{- $cluster := dict "documents" "mongodb" "eventBus" "kafka" "jobQueue" "bull" "cache" "redis" "featureStore" "redis" "vectorIndex" "milvus" "analytics" "clickhouse" -}}
{{- $out := dict -}}
{{- range $group, $clusterDriver := $cluster -}}
{{- $override := index $.Values.drivers $group | default "" -}}
{{- $_ := set $out $group (ternary $override (ternary $clusterDriver "embedded" (eq $.Values.profile "cluster")) (ne $override "")) -}}
{{- end -}}
{{- toYaml $out -}}
{{- end -}}

{{/* The environment variables of the external servers the drivers need, as a YAML list. */}}
{{- define "lemo.requiredEndpoints" -}}
{{- $d := include "lemo.drivers" . | fromYaml -}}
{{- $req := list -}}
{{- if eq $d.documents "mongodb" }}{{ $req = append $req "MONGODB_URL" }}{{ end -}}
{{- if eq $d.eventBus "kafka" }}{{ $req = append $req "KAFKA_BOOTSTRAP_SERVERS" }}{{ end -}}
{{- if or (eq $d.jobQueue "bull") (eq $d.cache "redis") (eq $d.featureStore "redis") }}{{ $req = append $req "REDIS_URL" }}{{ end -}}
{{- if eq $d.vectorIndex "milvus" }}{{ $req = append $req "MILVUS_HOST" }}{{ end -}}
{{- if eq $d.analytics "clickhouse" }}{{ $req = append $req "CLICKHOUSE_HOST" }}{{ end -}}
{{- toYaml (uniq $req) -}}
{{- end -}}

{{/* True ("true") when every driver is embedded: one process only. */}}
{{- define "lemo.anyEmbedded" -}}
{{- $d := include "lemo.drivers" . | fromYaml -}}
{{- $any := false -}}
{{- range $group, $driver := $d }}{{ if eq $driver "embedded" }}{{ $any = true }}{{ end }}{{ end -}}
{{- $any -}}
{{- end -}}

{{/* Variables that come from the Secret (required and optional keys). */}}
{{- define "lemo.secretVariables" -}}
{{- $names := list -}}
{{- if .Values.secrets.existingSecret -}}
{{- range $name, $key := .Values.secrets.keys }}{{ if $key }}{{ $names = append $names $name }}{{ end }}{{ end -}}
{{- range $name, $key := .Values.secrets.optionalKeys }}{{ if $key }}{{ $names = append $names $name }}{{ end }}{{ end -}}
{{- end -}}
{{- toYaml $names -}}
{{- end -}}
