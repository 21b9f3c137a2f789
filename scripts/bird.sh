#!/usr/bin/env bash
# bird.sh - a small BGP lab of real BIRD daemons on loopback addresses, for testing
# `calicoctl node status` against real control sockets.
#
#   scripts/bird.sh [start] [--dir DIR] [--no-ipv6] [--no-bird2]
#   scripts/bird.sh stop [--dir DIR]
#   scripts/bird.sh env  [--dir DIR]
#
# start   Starts the lab and waits until every mesh session is Established. stdout gets
#         only KEY=VALUE lines (also kept in DIR/env); progress goes to stderr.
#         IPv4, Debian `bird` 1.6 (required):
#           node A on $BIRD_LAB_A (default 127.0.0.12), socket SHORT/v4-a/bird.ctl, protocols
#             kernel1, device1, direct1           not BGP (calicoctl skips them)
#             Mesh_<B>                            Established with node B
#             Node_127_0_0_9                      nobody listens there: Active/Connect
#             Global_127_0_0_10                   nobody listens there: Active/Connect
#             Global_<B>_port_1790                B does not listen on 1790: Active/Connect
#             Local_Workload_127_0_0_20           passive, not a Calico peer name
#           node B on $BIRD_LAB_B (default 127.0.0.13) with Mesh_<A>.
#         IPv6, Debian `bird6` 1.6 (skipped, with the reason, when network namespaces
#           cannot be made): A and B each in its own namespace, joined by a veth pair
#           (fd5e:1ab::2 and fd5e:1ab::3); A has Mesh_fd5e_1ab__3 (Established) and
#           Node_fd5e_1ab__9 (nobody there). Sockets SHORT/v6-{a,b}/bird6.ctl.
#         BIRD 2.x (skipped, with the reason, when unavailable): Debian's bird2 conflicts
#           with bird, so its .deb is fetched with `apt-get download` and unpacked under
#           $BIRD2_CACHE (default <repo>/.test-state/bird2-pkg, kept by stop) instead of
#           installed. Node A2 on $BIRD_LAB_A2 (127.0.0.14) with Mesh_<B2> (Established)
#           and Node___1_port_1790 (an IPv6 peer, [::1]:1790, where nobody listens); node
#           B2 on $BIRD_LAB_B2 (127.0.0.15). Socket SHORT/v2-a/bird.ctl.
#         Every daemon runs with argv[0] exactly `bird` / `bird6`, as in calico/node,
#         because calicoctl recognises BIRD by that. If DIR already holds a running lab,
#         its env is printed again.
#         KEYS: BIRD_A_IP BIRD_B_IP BIRD_A_SOCKET BIRD_B_SOCKET, then either
#         BIRD6_A_SOCKET BIRD6_B_SOCKET or BIRD6_SKIPPED=<reason>, then either
#         BIRD2_A_IP BIRD2_B_IP BIRD2_A_SOCKET BIRD2_VERSION or BIRD2_SKIPPED=<reason>.
#   --dir DIR   state directory; default <repo>/.test-state/bird-lab. SHORT is the link
#               /tmp/birdlab-<hash of DIR> -> DIR, so socket paths stay short wherever DIR is.
#   --no-ipv6 / --no-bird2   leave those parts out.
# stop    Stops the daemons whose pids DIR recorded (checking each pid still runs that
#         config), deletes the namespaces DIR recorded, then deletes SHORT and DIR. Nothing is
#         ever killed by name.
# env     Prints DIR/env, e.g.  eval "$(scripts/bird.sh env)"
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
action=start want_v6=1 want_v2=1
dir="$repo/.test-state/bird-lab"
bird2_cache=${BIRD2_CACHE:-$repo/.test-state/bird2-pkg}
A=${BIRD_LAB_A:-127.0.0.12} B=${BIRD_LAB_B:-127.0.0.13}
A2=${BIRD_LAB_A2:-127.0.0.14} B2=${BIRD_LAB_B2:-127.0.0.15}
A6=fd5e:1ab::2 B6=fd5e:1ab::3
ASN=64512

say() { echo "bird.sh: $*" >&2; }
fail() { say "error: $*"; exit 1; }

while [ $# -gt 0 ]; do
  case "$1" in
    start|stop|env) action=$1 ;;
    --dir) [ $# -ge 2 ] || fail "--dir needs a value"; dir=$2; shift ;;
    --dir=*) dir=${1#--dir=} ;;
    --no-ipv6) want_v6=0 ;;
    --no-bird2) want_v2=0 ;;
    -h|--help) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
    *) fail "unknown argument '$1' (see --help)" ;;
  esac
  shift
done
dir=$(realpath -m "$dir")
marker="$dir/.bird-sh"
# The env file appears only once the whole lab is up; until then it is assembled here.
env_tmp="$dir/env.partial"

# Protocol names carry the peer address with '.' and ':' turned into '_' (as confd does).
pname() { printf '%s_%s' "$1" "$(printf '%s' "$2" | tr '.:' '__')"; }

# Namespace and veth names must not collide with another lab in another DIR.
tag=$(printf '%s' "$dir" | md5sum | cut -c1-6)
ns_a="birdlab-$tag-a" ns_b="birdlab-$tag-b"
veth_a="bl${tag}a" veth_b="bl${tag}b"
# A unix socket path has at most 107 bytes, too few under a checkout deep in a workspace:
# the sockets are bound and reached through this short link to DIR.
short="/tmp/birdlab-$tag"

# ---- the short link ----------------------------------------------------------
link_short() {
  [ -L "$short" ] || [ ! -e "$short" ] || fail "$short exists and is not bird.sh's link"
  ln -sfn "$dir" "$short"
}
unlink_short() { if [ "$(readlink "$short" 2>/dev/null)" = "$dir" ]; then rm -f "$short"; fi; }

# ---- processes -------------------------------------------------------------
# A recorded pid is ours only while its command line still names the config we gave it.
ours() { # pidfile
  local pid cfg
  pid=$(cat "$1" 2>/dev/null) || return 1
  cfg="${1%/*}/bird.conf"
  [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] && tr '\0' '\n' <"/proc/$pid/cmdline" | grep -qxF -- "$cfg"
}

stop_all() {
  local f pid
  for f in "$dir"/*/daemon.pid; do
    [ -e "$f" ] || continue
    if ours "$f"; then
      pid=$(cat "$f")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 30); do ours "$f" || break; sleep 0.1; done
      if ours "$f"; then kill -9 "$pid" 2>/dev/null || true; fi
      say "stopped pid $pid (${f#"$dir"/})"
    fi
    rm -f "$f"
  done
  if [ -f "$dir/netns" ]; then
    local ns
    while read -r ns; do
      if ip netns list 2>/dev/null | awk '{print $1}' | grep -qxF "$ns"; then ip netns del "$ns"; fi
    done <"$dir/netns"
    rm -f "$dir/netns"
  fi
  unlink_short
}

# ---- installation ----------------------------------------------------------
ensure_bird() {
  command -v bird >/dev/null && command -v bird6 >/dev/null && command -v birdc >/dev/null && return 0
  [ "$(id -u)" = 0 ] || fail "bird is missing and we are not root: apt-get install bird"
  say "installing Debian package bird (1.6)"
  # Debian's postinst would start a system-wide bird; policy-rc.d exit 101 forbids that.
  local guard=/usr/sbin/policy-rc.d made=0
  if [ ! -e "$guard" ]; then printf '#!/bin/sh\nexit 101\n' >"$guard"; chmod 755 "$guard"; made=1; fi
  local get=(env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends bird)
  { "${get[@]}" || { apt-get update -qq && "${get[@]}"; }; } >&2 || { [ $made = 1 ] && rm -f "$guard"; fail "apt-get install bird failed"; }
  [ $made = 1 ] && rm -f "$guard"
  return 0
}

# Prints the path of an unpacked BIRD 2 tree, or a reason on stderr and fails.
unpack_bird2() {
  local root="$bird2_cache/root" pkgs="$bird2_cache/debs"
  if [ -x "$root/usr/sbin/bird" ]; then echo "$root"; return 0; fi
  mkdir -p "$pkgs"
  # bird2 needs libssh-gcrypt, which a bird 1.6 machine usually lacks; unpack it beside.
  ( cd "$pkgs" && apt-get download bird2 libssh-gcrypt-4 >/dev/null 2>&1 ) ||
    ( cd "$pkgs" && apt-get update -qq >/dev/null 2>&1 && apt-get download bird2 libssh-gcrypt-4 >/dev/null 2>&1 ) ||
    { echo "apt-get download bird2 failed" >&2; return 1; }
  local deb
  for deb in "$pkgs"/*.deb; do dpkg-deb -x "$deb" "$root" || { echo "dpkg-deb -x $deb failed" >&2; return 1; }; done
  echo "$root"
}

# ---- configs ---------------------------------------------------------------
bird1_conf() { # router-id listen-address log kernel-table peers-function
  cat <<EOF
# bird.sh test lab: a private kernel table and export none, so no route reaches the host.
router id $1;
listen bgp address $2;
log "$3" all;
protocol kernel { kernel table $4; import none; export none; scan time 10; }
protocol device { scan time 2; }
template bgp peer_tpl {
  local as $ASN;
  connect delay time 1;
  connect retry time 5;
  error wait time 5,30;
  import all;
  export none;
}
EOF
  "$5"
}

bgp1() { # name neighbor as source [extra options...]
  local name=$1 nb=$2 as=$3 src=$4; shift 4
  printf 'protocol bgp %s from peer_tpl {\n  neighbor %s as %s;\n  source address %s;\n' "$name" "$nb" "$as" "$src"
  local opt; for opt in "$@"; do printf '  %s;\n' "$opt"; done
  echo '}'
}

peers_v4_a() {
  echo 'protocol direct { interface "lo"; }'
  bgp1 "$(pname Mesh "$B")" "$B" "$ASN" "$A"
  bgp1 Node_127_0_0_9 127.0.0.9 64513 "$A" multihop
  bgp1 Global_127_0_0_10 127.0.0.10 64514 "$A" multihop
  # A peer with a port: confd appends _port_<n> to the protocol name.
  printf 'protocol bgp %s_port_1790 from peer_tpl {\n  neighbor %s port 1790 as %s;\n  source address %s;\n  multihop;\n}\n' \
    "$(pname Global "$B")" "$B" "$ASN" "$A"
  bgp1 Local_Workload_127_0_0_20 127.0.0.20 "$ASN" "$A" multihop passive
}
peers_v4_b() { bgp1 "$(pname Mesh "$A")" "$A" "$ASN" "$B"; }
peers_v6_a() { bgp1 "$(pname Mesh "$B6")" "$B6" "$ASN" "$A6"; bgp1 Node_fd5e_1ab__9 fd5e:1ab::9 64513 "$A6"; }
peers_v6_b() { bgp1 "$(pname Mesh "$A6")" "$A6" "$ASN" "$B6"; }

bird2_conf() { # self peer log kernel-table with-v6-peer
  cat <<EOF
# bird.sh test lab (BIRD 2): a private kernel table and export none.
router id $1;
log "$3" all;
protocol device { scan time 2; }
protocol kernel { kernel table $4; ipv4 { import none; export none; }; }
protocol bgp $(pname Mesh "$2") {
  local $1 as $ASN;
  neighbor $2 as $ASN;
  strict bind yes;
  connect delay time 1;
  connect retry time 5;
  ipv4 { import all; export none; };
}
EOF
  if [ "$5" = 1 ]; then
    # An IPv6 peer that stays on this host: nothing listens on [::1]:1790.
    printf 'protocol bgp Node___1_port_1790 {\n  local ::1 as %s;\n  neighbor ::1 port 1790 as 64513;\n  strict bind yes;\n  multihop;\n  connect retry time 5;\n  ipv6 { import all; export none; };\n}\n' "$ASN"
  fi
}

# ---- start -----------------------------------------------------------------
launch() { # node-dir argv0 binary [netns] [ld-library-path]
  local d=$1 name=$2 bin=$3 ns=${4:-} libs=${5:-} sock
  sock="$short/${d##*/}/$( [ "$name" = bird6 ] && echo bird6.ctl || echo bird.ctl )"
  rm -f "$sock"
  local run=(env ${libs:+LD_LIBRARY_PATH=$libs} bash -c 'exec -a "$0" "$@"' "$name" "$bin" -c "$d/bird.conf" -s "$sock" -P "$d/daemon.pid")
  if [ -n "$ns" ]; then run=(ip netns exec "$ns" "${run[@]}"); fi
  "${run[@]}" >>"$d/daemon.out" 2>&1 || { cat "$d/daemon.out" >&2; return 1; }
  for _ in $(seq 1 50); do [ -S "$sock" ] && [ -s "$d/daemon.pid" ] && break; sleep 0.1; done
  [ -S "$sock" ] && ours "$d/daemon.pid" || { cat "$d/daemon.out" >&2; return 1; }
}

established() { # socket protocol
  local s=$1 p=$2
  for _ in $(seq 1 300); do
    birdc -s "$s" show protocols "$p" 2>/dev/null | grep -q Established && return 0
    sleep 0.1
  done
  say "$p on $s did not reach Established in 30 s:"; birdc -s "$s" show protocols >&2 || true
  return 1
}

port_taken() { # address
  [ -n "$(ss -Hltn "sport = :179" 2>/dev/null | awk -v a="$1:179" '$4 == a || $4 == "0.0.0.0:179" || $4 == "*:179"')" ]
}

start_v4() {
  local n
  for n in "$A" "$B"; do ! port_taken "$n" || fail "something already listens on $n:179 (another lab? set BIRD_LAB_A/BIRD_LAB_B)"; done
  mkdir -p "$dir/v4-a" "$dir/v4-b"
  bird1_conf "$A" "$A" "$dir/v4-a/bird.log" 211 peers_v4_a >"$dir/v4-a/bird.conf"
  bird1_conf "$B" "$B" "$dir/v4-b/bird.log" 212 peers_v4_b >"$dir/v4-b/bird.conf"
  launch "$dir/v4-a" bird "$(command -v bird)" && launch "$dir/v4-b" bird "$(command -v bird)" || { stop_all; fail "bird (IPv4) did not start"; }
  printf 'BIRD_A_IP=%s\nBIRD_B_IP=%s\nBIRD_A_SOCKET=%s\nBIRD_B_SOCKET=%s\n' "$A" "$B" "$short/v4-a/bird.ctl" "$short/v4-b/bird.ctl" >>"$env_tmp"
}

# Fails (with the reason on stderr) when the machine cannot make namespaces or veths.
make_netns() {
  : >"$dir/netns"
  local ns
  for ns in "$ns_a" "$ns_b"; do
    if ip netns list 2>/dev/null | awk '{print $1}' | grep -qxF "$ns"; then ip netns del "$ns"; fi
    ip netns add "$ns" 2>&1 || return 1
    echo "$ns" >>"$dir/netns"
    ip -n "$ns" link set lo up || return 1
  done
  ip link add "$veth_a" netns "$ns_a" type veth peer name "$veth_b" netns "$ns_b" 2>&1 || return 1
  ip -n "$ns_a" -6 addr add "$A6/64" dev "$veth_a" nodad 2>&1 &&
    ip -n "$ns_b" -6 addr add "$B6/64" dev "$veth_b" nodad 2>&1 &&
    ip -n "$ns_a" link set "$veth_a" up && ip -n "$ns_b" link set "$veth_b" up
}

start_v6() {
  local why
  if ! why=$(make_netns 2>&1); then
    echo "BIRD6_SKIPPED=cannot create network namespaces here: $(echo "$why" | tail -1)" >>"$env_tmp"
    say "IPv6 part skipped: $why"
    return 0
  fi
  mkdir -p "$dir/v6-a" "$dir/v6-b"
  bird1_conf "$A" "$A6" "$dir/v6-a/bird.log" 213 peers_v6_a >"$dir/v6-a/bird.conf"
  bird1_conf "$B" "$B6" "$dir/v6-b/bird.log" 214 peers_v6_b >"$dir/v6-b/bird.conf"
  launch "$dir/v6-a" bird6 "$(command -v bird6)" "$ns_a" && launch "$dir/v6-b" bird6 "$(command -v bird6)" "$ns_b" ||
    { stop_all; fail "bird6 did not start"; }
  printf 'BIRD6_A_SOCKET=%s\nBIRD6_B_SOCKET=%s\n' "$short/v6-a/bird6.ctl" "$short/v6-b/bird6.ctl" >>"$env_tmp"
}

start_v2() {
  local root why bin libs version
  if command -v bird2 >/dev/null 2>&1; then why="a system bird2 is installed; not mixing it into the lab"
  elif ! root=$(unpack_bird2 2>"$dir/bird2.err"); then why=$(tail -n 1 "$dir/bird2.err")
  fi
  if [ -z "${why:-}" ]; then
    bin="$root/usr/sbin/bird" libs="$root/usr/lib/x86_64-linux-gnu"
    version=$(LD_LIBRARY_PATH=$libs "$bin" --version 2>&1 | awk '{print $3}')
    case "$version" in 2.*) ;; *) why="unpacked bird2 does not run: $version" ;; esac
  fi
  if [ -z "${why:-}" ] && { port_taken "$A2" || port_taken "$B2"; }; then why="$A2:179 or $B2:179 is taken"; fi
  if [ -n "${why:-}" ]; then
    echo "BIRD2_SKIPPED=$why" >>"$env_tmp"; say "BIRD 2 part skipped: $why"; return 0
  fi
  mkdir -p "$dir/v2-a" "$dir/v2-b"
  bird2_conf "$A2" "$B2" "$dir/v2-a/bird.log" 215 1 >"$dir/v2-a/bird.conf"
  bird2_conf "$B2" "$A2" "$dir/v2-b/bird.log" 216 0 >"$dir/v2-b/bird.conf"
  launch "$dir/v2-a" bird "$bin" "" "$libs" && launch "$dir/v2-b" bird "$bin" "" "$libs" || { stop_all; fail "bird 2 did not start"; }
  printf 'BIRD2_A_IP=%s\nBIRD2_B_IP=%s\nBIRD2_A_SOCKET=%s\nBIRD2_VERSION=%s\n' "$A2" "$B2" "$short/v2-a/bird.ctl" "$version" >>"$env_tmp"
}

start() {
  if [ -f "$dir/env" ] && [ -f "$marker" ]; then
    local f alive=1
    for f in "$dir"/*/daemon.pid; do ours "$f" || alive=0; done
    if [ $alive = 1 ]; then link_short; say "already running in $dir"; cat "$dir/env"; return 0; fi
    say "a recorded daemon is gone: restarting the lab"
  fi
  if [ -f "$marker" ]; then stop_all; rm -rf "$dir"; fi
  [ ! -e "$dir" ] || [ -z "$(ls -A "$dir")" ] || fail "$dir exists and was not made by bird.sh"
  ensure_bird
  mkdir -p "$dir"; touch "$marker"; : >"$env_tmp"
  link_short
  local t0=$SECONDS
  start_v4
  if [ $want_v6 = 1 ]; then start_v6; fi
  if [ $want_v2 = 1 ]; then start_v2; fi
  established "$short/v4-a/bird.ctl" "$(pname Mesh "$B")" || { stop_all; fail "IPv4 mesh not Established"; }
  if [ -S "$short/v6-a/bird6.ctl" ]; then established "$short/v6-a/bird6.ctl" "$(pname Mesh "$B6")" || { stop_all; fail "IPv6 mesh not Established"; }; fi
  if [ -S "$short/v2-a/bird.ctl" ]; then established "$short/v2-a/bird.ctl" "$(pname Mesh "$B2")" || { stop_all; fail "BIRD 2 mesh not Established"; }; fi
  say "lab up in $((SECONDS - t0)) s"
  mv "$env_tmp" "$dir/env"
  cat "$dir/env"
}

case "$action" in
  start) start ;;
  stop) if [ -f "$marker" ]; then stop_all; rm -rf "$dir"; say "removed $dir"; fi ;;
  env) [ -f "$dir/env" ] || fail "no lab in $dir"; cat "$dir/env" ;;
esac
