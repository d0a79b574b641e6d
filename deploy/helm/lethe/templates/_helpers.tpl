{{- define "lethe.labels" -}}
app.kubernetes.io/name: lethe
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "lethe.selector" -}}
app.kubernetes.io/name: lethe
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "lethe.ledger" -}}{{ .Release.Name }}-ledger{{- end -}}
{{- define "lethe.headless" -}}{{ .Release.Name }}-ledger-headless{{- end -}}
{{- define "lethe.gateway" -}}{{ .Release.Name }}-gateway{{- end -}}
{{- define "lethe.config" -}}{{ .Release.Name }}-config{{- end -}}

{{/* Every ledger pod's query URL by its stable DNS name: the gateway's LETHE_LEDGER_URL. */}}
{{- define "lethe.ledgerUrls" -}}
{{- $urls := list -}}
{{- range $i := until (int .Values.ledger.replicas) -}}
{{- $urls = append $urls (printf "http://%s-%d.%s:%d" (include "lethe.ledger" $) $i (include "lethe.headless" $) (int $.Values.ledger.queryPort)) -}}
{{- end -}}
{{- join "," $urls -}}
{{- end -}}

{{- define "lethe.probes" -}}
livenessProbe:
  httpGet:
    path: /livez
    port: {{ .port }}
  periodSeconds: 10
  timeoutSeconds: 5
  failureThreshold: 6
readinessProbe:
  httpGet:
    path: /readyz
    port: {{ .port }}
  periodSeconds: 5
  timeoutSeconds: 5
  failureThreshold: 2
{{- end -}}
