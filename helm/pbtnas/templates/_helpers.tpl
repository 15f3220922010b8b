{{/* The chart's name, trimmed to the 63 characters a label value allows. */}}
{{- define "pbtnas.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The release's full name: "<release>" when it already contains the chart name. */}}
{{- define "pbtnas.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "pbtnas.selectorLabels" -}}
app.kubernetes.io/name: {{ include "pbtnas.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: operator
{{- end -}}

{{- define "pbtnas.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "pbtnas.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: pbtnas
{{- end -}}

{{- define "pbtnas.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "pbtnas.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- required "serviceAccount.name is required when serviceAccount.create is false: name an existing ServiceAccount" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* The operator image, which also runs `pbtnas mix` in trainer pods' init containers. */}}
{{- define "pbtnas.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{/*
The rules the operator needs inside each namespace it watches, and in its own namespace (the
leader-election Lease). Both come from files/operator-rules.yaml, which is generated from the
operator's @RBACRule annotations (the one source; see the file's header). Shared by the ClusterRole
(all namespaces) and the per-namespace Roles, so both modes grant the same.
*/}}
{{- define "pbtnas.namespacedRules" -}}
{{- (.Files.Get "files/operator-rules.yaml" | fromYaml).watchedNamespaces | toYaml -}}
{{- end -}}

{{- define "pbtnas.releaseNamespaceRules" -}}
{{- (.Files.Get "files/operator-rules.yaml" | fromYaml).releaseNamespace | toYaml -}}
{{- end -}}
