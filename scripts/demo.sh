#!/usr/bin/env bash
# demo.sh - the route-reflector workflow of the admin notes, end to end, against a throwaway
# 3-member TLS etcd on 127.0.0.1. Every command is shown with its output and exit code.
#   npm run demo        (installs what is missing, builds, starts etcd, runs, stops etcd)
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
bash scripts/ensure-deps.sh
[ -f dist/main.js ] && [ -z "$(find src -newer dist/main.js -print -quit)" ] || npm run --silent build >&2

state=$(mktemp -d -t calicoctl-demo.XXXXXX)
trap 'bash scripts/etcd.sh stop --dir "$state/etcd" >/dev/null 2>&1 || true; rm -rf "$state"' EXIT
endpoints=$(bash scripts/etcd.sh start --cluster --tls --dir "$state/etcd")
pki="$state/etcd/pki"
cfg="$state/calicoctl.cfg"
cat >"$cfg" <<CFG
apiVersion: projectcalico.org/v3
kind: CalicoAPIConfig
metadata:
spec:
  datastoreType: "etcdv3"
  etcdEndpoints: "$endpoints"
  etcdKeyFile: "$pki/client.key"
  etcdCertFile: "$pki/client.crt"
  etcdCACertFile: "$pki/ca.crt"
CFG
echo "# calicoctl.cfg ($cfg):"; cat "$cfg"; echo

calicoctl() { node "$repo/bin/run.js" "$@" -c "$cfg"; }
# Shows a command as typed, runs it (stdin from the caller), and its exit code. The framing goes
# to stderr so that `step get ... > file` captures only calicoctl's own output.
step() {
  printf '\n$ calicoctl %s\n' "$*" >&2
  # sed ends output without a final newline (JSON) with one, so the frame starts on its own line.
  local rc
  set +e
  calicoctl "$@" | sed -e '$a\'
  rc=${PIPESTATUS[0]}
  set -e
  printf '[exit %d]\n' "$rc" >&2
}
etcdctl_() { env ETCDCTL_API=3 etcdctl --endpoints="$endpoints" --cacert="$pki/ca.crt" --cert="$pki/client.crt" --key="$pki/client.key" "$@"; }

# calico/node registers each node in etcd; do what it does for the node of the notes.
etcdctl_ put /calico/resources/v3/projectcalico.org/nodes/gihtg-k8s-master01 \
  '{"kind":"Node","apiVersion":"projectcalico.org/v3","metadata":{"name":"gihtg-k8s-master01","uid":"2b4f0f5e-7c0e-4a53-9a43-3f1f8e0c6a11","creationTimestamp":"2026-11-01T08:00:00Z"},"spec":{"bgp":{"ipv4Address":"192.168.2.1/24"},"orchRefs":[{"nodeName":"192.168.2.1","orchestrator":"k8s"}]}}' >/dev/null

step apply -f - <<'YAML'
apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  name: default-ipv4-ippool
spec:
  blockSize: 26
  cidr: 172.8.0.0/16
  ipipMode: Never
  natOutgoing: true
YAML

step apply -f - <<'YAML'
apiVersion: projectcalico.org/v3
kind: BGPConfiguration
metadata:
  name: default
spec:
 logSeverityScreen: Info
 nodeToNodeMeshEnabled: false
 asNumber: 64512
YAML

step get node gihtg-k8s-master01 -o yaml >"$state/rr01.yaml"
cat "$state/rr01.yaml"
echo "# edit rr01.yaml: label i-am-a-route-reflector: true, routeReflectorClusterID: 224.0.0.1"
sed -i -e 's/^  name: gihtg-k8s-master01$/  labels:\n    i-am-a-route-reflector: true\n&/' \
  -e 's/^    ipv4Address: .*$/&\n    routeReflectorClusterID: 224.0.0.1/' "$state/rr01.yaml"
cat "$state/rr01.yaml"
step apply -f "$state/rr01.yaml"

echo; echo "# the BGPPeers exactly as pasted from the notes (unquoted !has is a YAML tag):"
step create -f - <<'YAML'
kind: BGPPeer
apiVersion: projectcalico.org/v3
metadata:
  name: peer-to-rrs
spec:
  nodeSelector: !has(i-am-a-route-reflector)
  peerSelector: has(i-am-a-route-reflector)

---
kind: BGPPeer
apiVersion: projectcalico.org/v3
metadata:
  name: rr-mesh
spec:
  nodeSelector: has(i-am-a-route-reflector)
  peerSelector: has(i-am-a-route-reflector)
YAML

echo; echo "# the same with the selector quoted:"
step create -f - <<'YAML'
kind: BGPPeer
apiVersion: projectcalico.org/v3
metadata:
  name: peer-to-rrs
spec:
  nodeSelector: "!has(i-am-a-route-reflector)"
  peerSelector: has(i-am-a-route-reflector)

---
kind: BGPPeer
apiVersion: projectcalico.org/v3
metadata:
  name: rr-mesh
spec:
  nodeSelector: has(i-am-a-route-reflector)
  peerSelector: has(i-am-a-route-reflector)
YAML

step get ippool -o wide
step get bgppeer
step get bgpconfig default -o json
step get nodes -o wide
step delete bgppeer rr-mesh
step replace -f - <<'YAML'
apiVersion: projectcalico.org/v3
kind: BGPConfiguration
metadata:
  name: default
spec:
  logSeverityScreen: Warning
  nodeToNodeMeshEnabled: false
  asNumber: 64512
YAML
step get bgpconfig

echo; echo "# what is stored in etcd:"
etcdctl_ get --prefix /calico/resources/v3/projectcalico.org/ | paste - - | grep -v '/tiers/\|clusterinformations'
