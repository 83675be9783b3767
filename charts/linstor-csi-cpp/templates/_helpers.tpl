{{/* Chart name, possibly overridden. */}}
{{- define "lcsi.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Object name prefix: the release name, plus the chart name unless it already contains it. */}}
{{- define "lcsi.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Labels on every object. */}}
{{- define "lcsi.labels" -}}
app.kubernetes.io/name: {{ include "lcsi.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{/* Selector labels of one component: include "lcsi.selectorLabels" (list . "controller") */}}
{{- define "lcsi.selectorLabels" -}}
{{- $root := index . 0 -}}
app.kubernetes.io/name: {{ include "lcsi.name" $root }}
app.kubernetes.io/instance: {{ $root.Release.Name }}
app.kubernetes.io/component: {{ index . 1 }}
{{- end -}}

{{/* "repository:tag" of one image: include "lcsi.image" (list . "provisioner") */}}
{{- define "lcsi.image" -}}
{{- $root := index . 0 -}}
{{- $image := index $root.Values.images (index . 1) -}}
{{- printf "%s:%s" $image.repository (default $root.Chart.AppVersion $image.tag) -}}
{{- end -}}

{{- define "lcsi.controllerServiceAccount" -}}
{{- printf "%s-controller" (include "lcsi.fullname" .) -}}
{{- end -}}

{{- define "lcsi.nodeServiceAccount" -}}
{{- printf "%s-node" (include "lcsi.fullname" .) -}}
{{- end -}}

{{- define "lcsi.linstorConfigMap" -}}
{{- printf "%s-linstor" (include "lcsi.fullname" .) -}}
{{- end -}}

{{- define "lcsi.satelliteMapConfigMap" -}}
{{- printf "%s-satellite-map" (include "lcsi.fullname" .) -}}
{{- end -}}

{{- define "lcsi.tlsSecret" -}}
{{- default "linstor-client-tls" .Values.linstor.tls.secretName -}}
{{- end -}}

{{/* LS_CONTROLLERS: the configured list, else the piraeus-operator v2 service (3371 with TLS). */}}
{{- define "lcsi.linstorControllers" -}}
{{- if .Values.linstor.controllers -}}
{{- join "," .Values.linstor.controllers -}}
{{- else if .Values.linstor.tls.enabled -}}
https://linstor-controller.piraeus-datastore.svc:3371
{{- else -}}
http://linstor-controller.piraeus-datastore.svc:3370
{{- end -}}
{{- end -}}

{{- define "lcsi.authSecret" -}}
{{- default (printf "%s-linstor-auth" (include "lcsi.fullname" .)) .Values.linstor.auth.secretName -}}
{{- end -}}

{{/* Host path of the node plugin's socket directory. */}}
{{- define "lcsi.pluginDir" -}}
{{- printf "%s/plugins/%s" (trimSuffix "/" .Values.kubeletDir) .Values.driverName -}}
{{- end -}}

{{/* StorageClass / VolumeAttributesClass parameters as YAML: keys without "/" get the
     "<driverName>/" prefix, values become strings. */}}
{{- define "lcsi.parameters" -}}
{{- $root := index . 0 -}}
{{- $out := dict -}}
{{- range $key, $value := index . 1 -}}
{{- if contains "/" $key -}}
{{- $_ := set $out $key (toString $value) -}}
{{- else -}}
{{- $_ := set $out (printf "%s/%s" $root.Values.driverName $key) (toString $value) -}}
{{- end -}}
{{- end -}}
{{- toYaml $out -}}
{{- end -}}

{{/* envFrom shared by both plugins: LINSTOR connection ConfigMap + optional auth Secret. */}}
{{- define "lcsi.linstorEnvFrom" -}}
envFrom:
  - configMapRef:
      name: {{ include "lcsi.linstorConfigMap" . }}
  # Optional LS_USERNAME / LS_PASSWORD for LINSTOR's HTTP authentication.
  - secretRef:
      name: {{ include "lcsi.authSecret" . }}
      optional: true
{{- end -}}

{{/* Ports and probes shared by both plugins. */}}
{{- define "lcsi.pluginProbes" -}}
ports:
  - name: healthz
    containerPort: {{ .Values.httpPort }}
    protocol: TCP
  # Served by the liveness-probe sidecar (same pod network); named here for the probe.
  - name: csi-probe
    containerPort: {{ .Values.probePort }}
    protocol: TCP
# Liveness: /livez answers while the process serves, whatever LINSTOR's state, so an unreachable
# LINSTOR never restarts the plugin (/healthz follows LINSTOR and would).
livenessProbe:
  httpGet:
    path: /livez
    port: healthz
  initialDelaySeconds: 10
  periodSeconds: 10
  timeoutSeconds: 5
  failureThreshold: 5
# Readiness: CSI Probe through the socket (livenessprobe sidecar); not ready while LINSTOR is not.
readinessProbe:
  httpGet:
    path: /healthz
    port: csi-probe
  periodSeconds: 10
  timeoutSeconds: 5
{{- end -}}

{{/* securityContext of every unprivileged container. */}}
{{- define "lcsi.restrictedSecurityContext" -}}
securityContext:
  allowPrivilegeEscalation: false
  readOnlyRootFilesystem: true
  capabilities:
    drop: ["ALL"]
{{- end -}}
