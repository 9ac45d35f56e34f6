{{/* Chart name, truncated to a DNS label. */}}
{{- define "distillation-operator.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Full name of the release's objects: the release name, plus the chart name unless it already contains it. */}}
{{- define "distillation-operator.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else if contains .Chart.Name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{- define "distillation-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "distillation-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "distillation-operator.labels" -}}
{{ include "distillation-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: operator
app.kubernetes.io/part-of: distillation-operator
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "distillation-operator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "distillation-operator.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "distillation-operator.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{- define "distillation-operator.trainerImage" -}}
{{- default (printf "distillation-trainer:%s" .Chart.AppVersion) .Values.operator.trainerImage }}
{{- end }}

{{- define "distillation-operator.trainerImageCuda" -}}
{{- default (printf "distillation-trainer:%s-cuda" .Chart.AppVersion) .Values.operator.trainerImageCuda }}
{{- end }}

{{/*
The rules the operator needs in every namespace it watches: exactly the API calls its code makes
(docs/operating.md, "RBAC", explains each; the chart tests pin this list).
*/}}
{{- define "distillation-operator.namespacedRules" -}}
# DistillationChains: the operator's informer lists and watches them (reads come from its cache).
- apiGroups: ["distillation.dev"]
  resources: ["distillationchains"]
  verbs: ["list", "watch"]
# Status is written through the status subresource only, as a patch; the spec is never written.
- apiGroups: ["distillation.dev"]
  resources: ["distillationchains/status"]
  verbs: ["patch"]
# Stage Pods and volumes carry an ownerReference to their chain with blockOwnerDeletion: true;
# API servers with the OwnerReferencesPermissionEnforcement admission plugin require this.
- apiGroups: ["distillation.dev"]
  resources: ["distillationchains/finalizers"]
  verbs: ["update"]
# One Pod per stage attempt (informer: list, watch); a stale Pod is deleted after a spec edit.
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["create", "delete", "list", "watch"]
# One checkpoint volume per stage (informer: list, watch); a merge patch of its annotations
# records the stage's result. Volumes are removed by garbage collection, never by the operator.
- apiGroups: [""]
  resources: ["persistentvolumeclaims"]
  verbs: ["create", "get", "list", "patch", "watch"]
# Events on chains (StageStarted, StageSucceeded, StageFailed, StageRetrying, Unschedulable,
# InvalidSpec), core/v1, created once each under a deterministic name.
# list and watch: the Warning events of stage Pods (FailedAttachVolume, FailedMount) for the
# stage message, through an informer filtered to involvedObject.kind=Pod and type=Warning.
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create", "list", "watch"]
{{- end }}
