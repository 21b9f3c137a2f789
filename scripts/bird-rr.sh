#!/usr/bin/env bash
# bird-rr.sh - the admin notes' route-reflector recipe as real BIRD 1.6 daemons on loopback:
# one reflector and two clients, configured as calico-node's confd configures them for the
# recipe (mesh off, BGPPeer peer-to-rrs `!has(i-am-a-route-reflector) -> has(...)`, the
# reflector with routeReflectorClusterID 224.0.0.1, AS 64512). Written by hand from confd's
# rules, so `bgp topology --live` has an independent BIRD to agree or disagree with.
#
#   scripts/bird-rr.sh start [--dir DIR]   start (or show the running lab); prints KEY=VALUE lines
#   scripts/bird-rr.sh stop  [--dir DIR]   stop the daemons DIR recorded (by pid, never by name)
#   scripts/bird-rr.sh env   [--dir DIR]   print the KEY=VALUE lines again
#   scripts/bird-rr.sh addresses            print RR_IP C1_IP C2_IP that start would use now, so
#                                           that nodes can be registered before BIRD starts
#
# Addresses: 127.0.0.21 for the reflector, 127.0.0.22 and 127.0.0.23 for the clients, unless
# something listens on port 179 of one of them (another lab running): then 127.X.Y.21-23 for
# some X.Y where nothing does. $BIRD_RR_IP, $BIRD_RR_C1_IP and $BIRD_RR_C2_IP set them outright.
# Keys printed: RR_IP C1_IP C2_IP RR_SOCKET C1_SOCKET C2_SOCKET (also kept in DIR/env). Sockets
# sit under /tmp/birdrr-<hash of DIR>, a link to DIR, because a unix socket path must stay short.
# Needs root (port 179) and the bird package.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
action=${1:-start}; shift || true
dir="$repo/.test-state/bird-rr"
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) dir=$2; shift ;;
    --dir=*) dir=${1#--dir=} ;;
    *) echo "bird-rr.sh: unknown argument '$1'" >&2; exit 1 ;;
  esac
  shift
done
dir=$(realpath -m "$dir")
short="/tmp/birdrr-$(printf '%s' "$dir" | md5sum | cut -c1-6)"
ASN=64512 CLUSTER=224.0.0.1

say() { echo "bird-rr.sh: $*" >&2; }

# The IPv4 addresses something listens on at TCP port 179 (hex 00B3), from /proc/net/tcp, whose
# addresses are little-endian hex: 0100007F is 127.0.0.1.
listening_179() {
  awk 'NR > 1 && $4 == "0A" && $2 ~ /:00B3$/ { print substr($2, 1, 8) }' /proc/net/tcp |
    while read -r hex; do printf '%d.%d.%d.%d\n' "0x${hex:6:2}" "0x${hex:4:2}" "0x${hex:2:2}" "0x${hex:0:2}"; done
}

# Three addresses whose port 179 is free (checked, then bound by BIRD: a lab starting at the same
# instant may still collide, and then BIRD says so).
choose_addresses() {
  if [ -n "${BIRD_RR_IP:-}" ]; then
    RR=$BIRD_RR_IP C1=${BIRD_RR_C1_IP:-127.0.0.22} C2=${BIRD_RR_C2_IP:-127.0.0.23}
    return
  fi
  local taken net
  taken=$(listening_179)
  if grep -qxF 0.0.0.0 <<<"$taken"; then say "something listens on port 179 of every address"; exit 1; fi
  net=127.0.0
  for _ in $(seq 1 50); do
    if ! grep -qxE "${net//./\\.}\\.2[123]" <<<"$taken"; then
      RR=$net.21 C1=$net.22 C2=$net.23
      return
    fi
    net=127.$((RANDOM % 254 + 1)).$((RANDOM % 254 + 1))
  done
  say "found no three free addresses on 127.0.0.0/8"; exit 1
}
pname() { printf 'Node_%s' "$(printf '%s' "$1" | tr '.' '_')"; }
# A recorded pid is ours only while its command line still names our config.
ours() { local pid; pid=$(cat "$1" 2>/dev/null) && [ -n "$pid" ] && tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null | grep -qxF "${1%/*}/bird.conf"; }

stop_all() {
  local f
  for f in "$dir"/*/daemon.pid; do
    [ -e "$f" ] || continue
    if ours "$f"; then
      kill "$(cat "$f")" 2>/dev/null || true
      for _ in $(seq 1 30); do ours "$f" || break; sleep 0.1; done
    fi
    rm -f "$f"
  done
  if [ "$(readlink "$short" 2>/dev/null)" = "$dir" ]; then rm -f "$short"; fi
}

conf() { # name self kernel-table peer...
  local self=$2 table=$3 peer; shift 3
  cat <<CONF
# bird-rr.sh: a private kernel table and export none, so no route reaches the host.
router id $self;
listen bgp address $self;
log "$dir/$name/bird.log" all;
protocol kernel { kernel table $table; import none; export none; scan time 10; }
protocol device { scan time 2; }
template bgp bgp_template {
  local as $ASN;
  connect delay time 1;
  connect retry time 5;
  error wait time 5,30;
  import all;
  export none;
}
CONF
  for peer in "$@"; do
    printf 'protocol bgp %s from bgp_template {\n  neighbor %s as %s;\n  source address %s;\n' "$(pname "$peer")" "$peer" "$ASN" "$self"
    # confd marks iBGP peers of a node with a cluster ID, themselves without it, as its clients.
    if [ "$self" = "$RR" ]; then printf '  rr client;\n  rr cluster id %s;\n' "$CLUSTER"; fi
    echo '}'
  done
}

write_env() {
  printf 'RR_IP=%s\nC1_IP=%s\nC2_IP=%s\nRR_SOCKET=%s\nC1_SOCKET=%s\nC2_SOCKET=%s\n' "$RR" "$C1" "$C2" "$short/rr/bird.ctl" "$short/c1/bird.ctl" "$short/c2/bird.ctl" >"$dir/env"
}

start() {
  if [ -f "$dir/.bird-rr" ]; then
    local alive=1 f
    for f in "$dir"/*/daemon.pid; do ours "$f" || alive=0; done
    if [ $alive = 1 ] && [ -e "$dir/rr/daemon.pid" ]; then ln -sfn "$dir" "$short"; cat "$dir/env"; return 0; fi
    stop_all; rm -rf "$dir"
  fi
  [ ! -e "$dir" ] || [ -z "$(ls -A "$dir")" ] || { say "$dir exists and was not made by bird-rr.sh"; exit 1; }
  command -v bird >/dev/null || { say "bird is not installed (scripts/ensure-deps.sh installs it)"; exit 1; }
  [ "$(id -u)" = 0 ] || { say "needs root: BIRD binds port 179"; exit 1; }
  choose_addresses
  mkdir -p "$dir"; touch "$dir/.bird-rr"
  ln -sfn "$dir" "$short"
  write_env
  local name
  for spec in "rr $RR 221 $C1 $C2" "c1 $C1 222 $RR" "c2 $C2 223 $RR"; do
    set -- $spec; name=$1; shift
    mkdir -p "$dir/$name"
    conf "$name" "$@" >"$dir/$name/bird.conf"
    # calicoctl recognises BIRD by argv[0], as in calico/node.
    bash -c 'exec -a bird "$@"' bird "$(command -v bird)" -c "$dir/$name/bird.conf" -s "$short/$name/bird.ctl" -P "$dir/$name/daemon.pid" \
      >>"$dir/$name/daemon.out" 2>&1 || { cat "$dir/$name/daemon.out" >&2; stop_all; exit 1; }
  done
  # The clients' sessions to the reflector must come up before anyone looks.
  for name in c1 c2; do
    for _ in $(seq 1 300); do
      birdc -s "$short/$name/bird.ctl" show protocols "$(pname "$RR")" 2>/dev/null | grep -q Established && continue 2
      sleep 0.1
    done
    say "$name's session to the reflector is not Established after 30 s"; stop_all; exit 1
  done
  cat "$dir/env"
}

case "$action" in
  start) start ;;
  stop) if [ -f "$dir/.bird-rr" ]; then stop_all; rm -rf "$dir"; fi ;;
  env) [ -f "$dir/env" ] || { say "no lab in $dir"; exit 1; }; cat "$dir/env" ;;
  addresses) choose_addresses; printf 'RR_IP=%s\nC1_IP=%s\nC2_IP=%s\n' "$RR" "$C1" "$C2" ;;
  *) say "unknown action '$action'"; exit 1 ;;
esac
