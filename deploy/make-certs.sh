#!/usr/bin/env bash
# Make the webhook's serving certificate with openssl: a private CA and a certificate for
# podgate.podgate-system.svc, written to deploy/certs/, plus a kustomize patch that puts the
# CA into the ValidatingWebhookConfiguration's caBundle. Run again, then `kubectl apply -k`, to
# rotate: the CA is kept (same caBundle), the Secret podgate-tls is updated in place (no name
# hash, see kustomization.yaml), the kubelet refreshes the mounted files within a minute or so,
# and the pods re-read them without a restart and without dropping connections.
set -euo pipefail
cd "$(dirname "$0")"
service=${SERVICE:-podgate}
namespace=${NAMESPACE:-podgate-system}
days=${DAYS:-365}
out=certs
mkdir -p "$out"
umask 077
if [ ! -f "$out/ca.key" ]; then
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 3650 \
    -keyout "$out/ca.key" -out "$out/ca.crt" -subj "/CN=podgate-webhook-ca" 2>/dev/null
fi
cat > "$out/ext.cnf" <<EXT
subjectAltName=DNS:$service,DNS:$service.$namespace,DNS:$service.$namespace.svc,DNS:$service.$namespace.svc.cluster.local
extendedKeyUsage=serverAuth
EXT
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$out/tls.key" \
  -out "$out/tls.csr" -subj "/CN=$service.$namespace.svc" 2>/dev/null
openssl x509 -req -in "$out/tls.csr" -CA "$out/ca.crt" -CAkey "$out/ca.key" -CAcreateserial \
  -days "$days" -extfile "$out/ext.cnf" -out "$out/tls.crt" 2>/dev/null
ca_bundle=$(base64 -w0 < "$out/ca.crt")
cat > "$out/webhook-ca-bundle.yaml" <<PATCH
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata:
  name: podgate
webhooks:
  - name: pod-security-webhook.kubernetes.io
    clientConfig:
      caBundle: $ca_bundle
  - name: advisory.pod-security-webhook.kubernetes.io
    clientConfig:
      caBundle: $ca_bundle
PATCH
rm -f "$out/tls.csr" "$out/ext.cnf"
echo "wrote $out/tls.crt, $out/tls.key and $out/webhook-ca-bundle.yaml; now: kubectl apply -k $(pwd)"
