#!/usr/bin/env bash
# demo.sh - the route-reflector workflow of the admin notes, end to end, against a throwaway
# 3-member TLS etcd on 127.0.0.1. Every command is shown with its output and exit code.
#   npm run demo        (installs what is missing, builds, starts etcd, runs, stops etcd)
# The notes end with `calicoctl node status`: as root with BIRD installed, the demo starts three
# BIRD daemons on loopback addresses for the cluster's three nodes, configured as confd would for
# the recipe (scripts/bird-rr.sh), then shows node status on each, `bgp topology` and `bgp check`
# of the cluster, and `bgp topology --live` on each node. Without root or BIRD it says why and
# skips the parts that need the daemons.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
bash scripts/ensure-deps.sh
[ -f dist/main.js ] && [ -z "$(find src -newer dist/main.js -print -quit)" ] || npm run --silent build >&2

state=$(mktemp -d -t calicoctl-demo.XXXXXX)
trap 'bash scripts/bird-rr.sh stop --dir "$state/bird" >/dev/null 2>&1 || true; bash scripts/etcd.sh stop --dir "$state/etcd" >/dev/null 2>&1 || true; rm -rf "$state"' EXIT
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

# calico/node registers each node in etcd; do what it does for the reflector of the notes and two
# workers, on loopback addresses where BIRD daemons can stand in for theirs at the end.
eval "$(bash scripts/bird-rr.sh addresses)"
register() { # name address
  etcdctl_ put "/calico/resources/v3/projectcalico.org/nodes/$1" \
    "{\"kind\":\"Node\",\"apiVersion\":\"projectcalico.org/v3\",\"metadata\":{\"name\":\"$1\",\"uid\":\"$(cat /proc/sys/kernel/random/uuid)\",\"creationTimestamp\":\"2026-11-01T08:00:00Z\"},\"spec\":{\"bgp\":{\"ipv4Address\":\"$2/24\"},\"orchRefs\":[{\"nodeName\":\"$2\",\"orchestrator\":\"k8s\"}]}}" >/dev/null
}
register gihtg-k8s-master01 "$RR_IP"
register gihtg-k8s-node01 "$C1_IP"
register gihtg-k8s-node02 "$C2_IP"

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

echo; echo "# The notes end with calicoctl node status on the nodes, to see the BGP sessions."
# Where BIRD daemons could not start, the reason (the parts that need them are skipped).
no_bird=
if [ "$(id -u)" != 0 ]; then no_bird="not root: BIRD must bind port 179"
elif ! command -v bird >/dev/null; then no_bird="bird is not installed (scripts/ensure-deps.sh installs it as root)"
elif ! BIRD_RR_IP=$RR_IP BIRD_RR_C1_IP=$C1_IP BIRD_RR_C2_IP=$C2_IP bash scripts/bird-rr.sh start --dir "$state/bird" >"$state/bird.env" 2>"$state/bird.err"; then
  no_bird="the BIRD daemons did not start: $(tail -n 1 "$state/bird.err")"
fi
declare -A socket_of
if [ -z "$no_bird" ]; then
  eval "$(cat "$state/bird.env")"
  socket_of=([gihtg-k8s-master01]=$RR_SOCKET [gihtg-k8s-node01]=$C1_SOCKET [gihtg-k8s-node02]=$C2_SOCKET)
  echo "# Each node's calico-node is played by a BIRD daemon on its address ($RR_IP, $C1_IP, $C2_IP),"
  echo "# configured as confd configures it for this datastore (scripts/bird-rr.sh). There is no Felix,"
  echo "# hence --skip-process-check; CALICO_BIRD_SOCKET points node status at that node's BIRD."
else
  echo "# Skipping node status and bgp topology --live: $no_bird."
fi

# Runs calicoctl as on node $1: NODENAME names it as calico-node does, and its BIRD socket is the
# one its stand-in daemon listens on. Framed as `step` frames commands; bgp commands get -c.
on_node() {
  local node=$1 rc config=(); shift
  [ "$1" != bgp ] || config=(-c "$cfg")
  printf '\n[on %s] $ calicoctl %s\n' "$node" "$*" >&2
  set +e
  env NODENAME="$node" CALICO_BIRD_SOCKET="${socket_of[$node]}" CALICO_BIRD6_SOCKET="$state/no-bird6.ctl" node "$repo/bin/run.js" "$@" "${config[@]}" | sed -e '$a\'
  rc=${PIPESTATUS[0]}
  set -e
  printf '[exit %d]\n' "$rc" >&2
}
nodes=(gihtg-k8s-master01 gihtg-k8s-node01 gihtg-k8s-node02)
if [ -z "$no_bird" ]; then
  for n in "${nodes[@]}"; do on_node "$n" node status --skip-process-check; done
fi

echo; echo "# calicoctl-ts beyond calicoctl: the sessions the configuration gives every node, and its mistakes."
step bgp topology
step bgp check
if [ -z "$no_bird" ]; then
  echo; echo "# On each node: the configuration's sessions against what its BIRD reports."
  for n in "${nodes[@]}"; do on_node "$n" bgp topology --live; done
fi
