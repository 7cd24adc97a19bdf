{{/* Chart name, truncated to the DNS label limit. */}}
{{- define "payegress.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Fully qualified app name. */}}
{{- define "payegress.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "payegress.selectorLabels" -}}
app.kubernetes.io/name: {{ include "payegress.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "payegress.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "payegress.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/component: gateway
{{- end }}

{{- define "payegress.keysSecretName" -}}
{{- default (printf "%s-wechatpay-keys" (include "payegress.fullname" .)) .Values.wechatpay.keys.secretName }}
{{- end }}

{{- define "payegress.tenantsConfigMapName" -}}
{{- default (printf "%s-tenants" (include "payegress.fullname" .)) .Values.tenantsConfigMap }}
{{- end }}

{{/* The application configuration (no secrets: key files are paths into the mounted Secret). */}}
{{- define "payegress.applicationConfig" -}}
{{- $w := .Values.wechatpay -}}
{{- $keys := "/etc/payegress/keys" -}}
{{- $wechatpay := dict "base-url" $w.baseUrl "merchant-id" $w.merchantId "key-check-interval" $w.keyCheckInterval "private-key-file" (printf "%s/%s" $keys $w.keys.privateKey) -}}
{{- if $w.keys.certificate }}{{ $_ := set $wechatpay "certificate-file" (printf "%s/%s" $keys $w.keys.certificate) }}{{ end -}}
{{- if $w.serialNo }}{{ $_ := set $wechatpay "serial-no" $w.serialNo }}{{ end -}}
{{- if $w.publicKeyId }}{{ $_ := set $wechatpay "public-key-id" $w.publicKeyId }}{{ end -}}
{{- $platform := list -}}
{{- range $w.platformKeys }}{{ $platform = append $platform (dict "id" .id "public-key-file" (printf "%s/%s" $keys .secretKey)) }}{{ end -}}
{{- if $platform }}{{ $_ := set $wechatpay "platform-keys" $platform }}{{ end -}}
{{- $r := .Values.redis -}}
{{- $redis := dict "ssl" (dict "enabled" $r.ssl) -}}
{{- if eq $r.mode "sentinel" }}
{{- $_ := set $redis "sentinel" (dict "master" $r.sentinel.master "nodes" (join "," $r.sentinel.nodes)) }}
{{- else if eq $r.mode "cluster" }}
{{- $_ := set $redis "cluster" (dict "nodes" (join "," $r.cluster.nodes)) }}
{{- else }}
{{- $_ := set $redis "host" $r.host }}{{ $_ := set $redis "port" $r.port }}
{{- end -}}
{{- $spring := dict "data" (dict "redis" $redis) "lifecycle" (dict "timeout-per-shutdown-phase" (printf "%ds" (int .Values.shutdownTimeoutSeconds))) -}}
{{- if $r.passwordSecret.name }}{{ $_ := set $spring "config" (dict "import" "optional:configtree:/etc/payegress/redis-auth/") }}{{ end -}}
{{- $config := dict "payegress" (dict "wechatpay" $wechatpay "state" (dict "store" "redis" "command-timeout" $r.commandTimeout) "budget" (dict "coupons-use" (dict "limit" .Values.budget.couponsUseLimit))) "spring" $spring -}}
{{- if .Values.logFormat }}{{ $_ := set $config "logging" (dict "structured" (dict "format" (dict "console" .Values.logFormat))) }}{{ end -}}
{{- toYaml (mustMergeOverwrite $config (deepCopy .Values.config)) }}
{{- end }}
