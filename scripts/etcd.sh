#!/usr/bin/env bash
# etcd.sh - a disposable etcd v3 (Debian etcd-server 3.4) on 127.0.0.1 for calicoctl-ts tests.
#
#   scripts/etcd.sh [start] [--cluster] [--tls] [--auth] [--dir DIR]
#   scripts/etcd.sh stop [--dir DIR]
#   scripts/etcd.sh env  [--dir DIR]
#
# start      Installs etcd-server/etcd-client with apt when missing, starts etcd on free
#            random loopback ports and waits until it is healthy. The client endpoints
#            (comma separated) are the only line on stdout; progress goes to stderr.
#            If DIR already holds a running instance, its endpoints are printed again.
#   --cluster  three members instead of one.
#   --tls      https with client certificates: a CA, a server cert (127.0.0.1, localhost)
#              and a client cert are made with openssl under DIR/pki.
#   --auth     user "root" with password $ETCD_TEST_PASSWORD (default calico-test-pw),
#              then auth enable.
#   --dir DIR  state directory (data, logs, pids, pki, env); default <repo>/.test-state/etcd.
#              Separate directories give independent instances.
# stop       Stops the members whose pids DIR recorded (checking each pid is still that
#            etcd) and deletes DIR. Never kills anything by name.
# env        Prints DIR/env: exports for calicoctl (DATASTORE_TYPE, ETCD_*) and etcdctl
#            (ETCDCTL_*), e.g.  eval "$(scripts/etcd.sh env)"
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
action=start members=1 tls=0 auth=0
dir="$repo/.test-state/etcd"
password="${ETCD_TEST_PASSWORD:-calico-test-pw}"

say() { echo "etcd.sh: $*" >&2; }
fail() { say "error: $*"; exit 1; }

while [ $# -gt 0 ]; do
  case "$1" in
    start|stop|env) action=$1 ;;
    --cluster) members=3 ;;
    --tls) tls=1 ;;
    --auth) auth=1 ;;
    --dir) [ $# -ge 2 ] || fail "--dir needs a value"; dir=$2; shift ;;
    --dir=*) dir=${1#--dir=} ;;
    -h|--help) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
    *) fail "unknown argument '$1' (see --help)" ;;
  esac
  shift
done
dir=$(realpath -m "$dir")
marker="$dir/.etcd-sh"

# etcd takes any ETCD_* variable as a flag and etcdctl reads ETCDCTL_*; a shell that
# sourced an env file must not change the commands this script runs.
scrub=()
while read -r var; do scrub+=(-u "$var"); done < <(compgen -e | grep -E '^ETCD' || true)
clean() { env "${scrub[@]}" "$@"; }

# ---- installation ----------------------------------------------------------
apt_install() {
  [ "$(id -u)" = 0 ] || fail "$* missing and not root: install them with apt first"
  say "installing $* with apt"
  # Debian's postinst starts a system etcd on :2379 unless policy-rc.d forbids it
  # (exit 101). An existing policy-rc.d belongs to the system: use it as it is.
  local guard=/usr/sbin/policy-rc.d made=0
  if [ ! -e "$guard" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$guard"; chmod 755 "$guard"; made=1
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT # also when apt fails below
  fi
  local get=(env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@")
  # A stale package index is the usual reason an install fails on a fresh machine.
  { "${get[@]}" || { apt-get update -qq && "${get[@]}"; }; } >&2 || fail "apt-get install $* failed"
  if [ "$made" = 1 ]; then rm -f "$guard"; trap - EXIT; fi
}

ensure_installed() {
  if ! command -v etcd >/dev/null || ! command -v etcdctl >/dev/null; then
    apt_install etcd-server etcd-client
  fi
  if [ "$tls" = 1 ] && ! command -v openssl >/dev/null; then apt_install openssl; fi
}

# ---- processes -------------------------------------------------------------
# A pid counts as ours only while its command line still names this member's data dir.
is_ours() { # pid member
  local args
  args=$(tr '\0' '\n' 2>/dev/null <"/proc/$1/cmdline") && grep -qxF -- "--data-dir=$dir/data/$2" <<<"$args"
}

recorded() { local f; for f in "$dir"/run/*.pid; do [ -e "$f" ] && basename "$f" .pid; done; return 0; }

alive_count() {
  local m n=0
  for m in $(recorded); do is_ours "$(cat "$dir/run/$m.pid")" "$m" && n=$((n + 1)); done
  echo "$n"
}

stop_members() {
  local m pid i
  for m in $(recorded); do
    pid=$(cat "$dir/run/$m.pid")
    if is_ours "$pid" "$m"; then
      say "stopping $m (pid $pid)"
      kill "$pid" 2>/dev/null || true
      for i in $(seq 50); do is_ours "$pid" "$m" || break; sleep 0.1; done
      ! is_ours "$pid" "$m" || kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$dir/run/$m.pid"
  done
}

do_stop() {
  [ -d "$dir" ] || return 0
  stop_members
  # Delete only a directory this script created.
  if [ -f "$marker" ]; then rm -rf "$dir"; say "removed $dir"; fi
}

# ---- ports -----------------------------------------------------------------
port_taken() {
  if command -v ss >/dev/null; then
    [ -n "$(ss -Htan "sport = :$1" 2>/dev/null)" ]
  else
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
  fi
}

# Random ports below Linux's ephemeral range (32768+), so outgoing connections do not
# take them between choosing and binding.
free_ports() { # count
  local want=$1 p picked=() tries=0
  while [ "${#picked[@]}" -lt "$want" ]; do
    tries=$((tries + 1)); [ "$tries" -le 2000 ] || fail "no free loopback ports found"
    p=$(shuf -i 20000-32000 -n 1)
    port_taken "$p" || [[ " ${picked[*]} " == *" $p "* ]] || picked+=("$p")
  done
  echo "${picked[*]}"
}

# ---- certificates ----------------------------------------------------------
issue_cert() { # name common-name extended-usage-lines
  local p="$dir/pki"
  openssl req -newkey rsa:2048 -nodes -subj "/CN=$2" -keyout "$p/$1.key" -out "$p/$1.csr"
  printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n%s\n' "$3" >"$p/$1.ext"
  openssl x509 -req -days 3650 -in "$p/$1.csr" -CA "$p/ca.crt" -CAkey "$p/ca.key" \
    -set_serial "0x$(openssl rand -hex 8)" -extfile "$p/$1.ext" -out "$p/$1.crt"
  rm -f "$p/$1.csr" "$p/$1.ext"
}

make_pki() {
  local p="$dir/pki"
  mkdir -p "$p"
  say "making CA, server and client certificates in $p"
  {
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=calicoctl-ts test CA" \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
      -keyout "$p/ca.key" -out "$p/ca.crt"
    # Members also present the server cert to each other, hence clientAuth.
    issue_cert server localhost $'extendedKeyUsage=serverAuth,clientAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost'
    # With --auth, etcd takes a client cert's CN as the user when no password is sent;
    # this CN is no user, so a client without the password is refused.
    issue_cert client calicoctl-ts-client 'extendedKeyUsage=clientAuth'
  } 2>"$dir/logs/openssl.log" || fail "openssl failed, see $dir/logs/openssl.log"
  chmod 600 "$p"/*.key
}

# ---- start -----------------------------------------------------------------
ctl() { # etcdctl against this instance's endpoints
  local opts=(--endpoints="$(cat "$dir/endpoints")" --dial-timeout=2s --command-timeout=5s)
  [ "$tls" = 0 ] || opts+=(--cacert="$dir/pki/ca.crt" --cert="$dir/pki/client.crt" --key="$dir/pki/client.key")
  clean ETCDCTL_API=3 etcdctl "${opts[@]}" "$@"
}

launch_members() { # scheme -> 0 when healthy, 2 when a port was taken meanwhile, 1 otherwise
  local scheme=$1 ports i m cluster="" endpoints=() token="etcd-sh-$$-$RANDOM"
  read -r -a ports <<<"$(free_ports $((2 * members)))"
  for ((i = 0; i < members; i++)); do
    endpoints+=("$scheme://127.0.0.1:${ports[2 * i]}")
    cluster+="${cluster:+,}m$i=$scheme://127.0.0.1:${ports[2 * i + 1]}"
  done
  (IFS=,; echo "${endpoints[*]}") >"$dir/endpoints"

  for ((i = 0; i < members; i++)); do
    m=m$i
    rm -rf "$dir/data/$m"
    local args=(
      --name="$m" --data-dir="$dir/data/$m"
      --listen-client-urls="${endpoints[i]}" --advertise-client-urls="${endpoints[i]}"
      --listen-peer-urls="$scheme://127.0.0.1:${ports[2 * i + 1]}"
      --initial-advertise-peer-urls="$scheme://127.0.0.1:${ports[2 * i + 1]}"
      --initial-cluster="$cluster" --initial-cluster-state=new
      --initial-cluster-token="$token"
      --logger=zap --log-outputs=stderr
      # Short raft timings so leader loss in cluster tests resolves quickly.
      --heartbeat-interval=50 --election-timeout=500
    )
    if [ "$tls" = 1 ]; then
      args+=(--cert-file="$dir/pki/server.crt" --key-file="$dir/pki/server.key"
        --trusted-ca-file="$dir/pki/ca.crt" --client-cert-auth
        --peer-cert-file="$dir/pki/server.crt" --peer-key-file="$dir/pki/server.key"
        --peer-trusted-ca-file="$dir/pki/ca.crt" --peer-client-cert-auth)
    fi
    # The shell records its own pid and then becomes etcd, so the pid file is exact;
    # setsid detaches etcd from the caller's terminal and process group. (No shell
    # function here: backgrounding one would leave an extra bash waiting on etcd.)
    env "${scrub[@]}" setsid bash -c 'echo $$ >"$0"; exec "$@"' "$dir/run/$m.pid" etcd "${args[@]}" \
      </dev/null >"$dir/logs/$m.log" 2>&1 &
  done

  # Each member writes its pid file first thing; after that a member that is not
  # alive has exited and will not become healthy.
  for i in $(seq 50); do [ "$(recorded | wc -l)" -lt "$members" ] || break; sleep 0.1; done
  local deadline=$((SECONDS + 20))
  while [ "$SECONDS" -lt "$deadline" ] && [ "$(alive_count)" = "$members" ]; do
    if ctl endpoint health >/dev/null 2>&1; then return 0; fi
    sleep 0.15
  done
  stop_members
  if grep -qs 'address already in use' "$dir"/logs/m*.log; then return 2; fi
  say "etcd did not become healthy; last log lines:"
  tail -n 5 "$dir"/logs/m*.log >&2 || true
  return 1
}

write_env() {
  local ep; ep=$(cat "$dir/endpoints")
  quote() { printf "'%s'" "${1//\'/\'\\\'\'}"; }
  put() { echo "export $1=$(quote "$2")"; }
  {
    put DATASTORE_TYPE etcdv3
    put ETCD_ENDPOINTS "$ep"
    put ETCDCTL_API 3
    put ETCDCTL_ENDPOINTS "$ep"
    if [ "$tls" = 1 ]; then
      put ETCD_CA_CERT_FILE "$dir/pki/ca.crt"
      put ETCD_CERT_FILE "$dir/pki/client.crt"
      put ETCD_KEY_FILE "$dir/pki/client.key"
      put ETCDCTL_CACERT "$dir/pki/ca.crt"
      put ETCDCTL_CERT "$dir/pki/client.crt"
      put ETCDCTL_KEY "$dir/pki/client.key"
    fi
    if [ "$auth" = 1 ]; then
      put ETCD_USERNAME root
      put ETCD_PASSWORD "$password"
      put ETCDCTL_USER "root:$password"
    fi
  } >"$dir/env"
}

do_start() {
  local started; started=$(date +%s%N)
  if [ -f "$marker" ] && [ -f "$dir/env" ]; then
    local live; live=$(alive_count)
    if [ "$live" -gt 0 ] && [ "$live" = "$(recorded | wc -l)" ]; then
      say "already running in $dir"
      cat "$dir/endpoints"; return 0
    fi
  fi
  # Leftovers of a crashed or half-stopped run are cleared; foreign content is not touched.
  if [ -f "$marker" ]; then do_stop; fi
  [ -z "$(ls -A "$dir" 2>/dev/null)" ] || fail "$dir is not empty and was not made by etcd.sh"

  ensure_installed
  mkdir -p "$dir/run" "$dir/data" "$dir/logs"
  touch "$marker"
  local scheme=http
  if [ "$tls" = 1 ]; then scheme=https; make_pki; fi

  local attempt rc
  for attempt in 1 2 3; do
    rc=0; launch_members "$scheme" || rc=$?
    [ "$rc" = 2 ] || break
    say "a chosen port was taken meanwhile; retrying with other ports"
  done
  [ "$rc" = 0 ] || fail "start failed; logs kept in $dir/logs"

  if [ "$auth" = 1 ]; then
    ctl user add "root:$password" >/dev/null
    # etcd refuses "auth enable" unless root holds the root role.
    ctl user grant-role root root >/dev/null
    ctl auth enable >/dev/null
  fi
  write_env
  say "ready in $(( ($(date +%s%N) - started) / 1000000 )) ms: $members member(s), tls=$tls auth=$auth; env file $dir/env"
  cat "$dir/endpoints"
}

case "$action" in
  start) do_start ;;
  stop) do_stop ;;
  env) [ -f "$dir/env" ] || fail "no env file in $dir (not started?)"; cat "$dir/env" ;;
esac
