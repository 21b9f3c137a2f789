#!/usr/bin/env bash
# ensure-deps.sh - make sure the tools the tests need are present; safe to run repeatedly.
#
# System: etcd, etcdctl, bird and openssl (Debian packages etcd-server etcd-client bird
# openssl), installed with apt as root when any is missing. kubectl (Debian's
# kubernetes-client) is tried too, but only `cluster diags` needs it: when it cannot be
# installed the tests that run it skip and say why. Node: `npm ci` when
# node_modules is missing or older than package-lock.json.
# Silent when nothing is to do; one line on stderr per action taken.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
say() { echo "ensure-deps: $*" >&2; }

missing=()
for tool in etcd etcdctl bird openssl; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done

if [ "${#missing[@]}" -gt 0 ]; then
  packages=(etcd-server etcd-client bird openssl)
  if [ "$(id -u)" != 0 ]; then
    say "missing ${missing[*]}; as root run: apt-get install ${packages[*]}"
    exit 1
  fi
  say "installing ${packages[*]} (missing: ${missing[*]})"
  # The etcd and bird packages start system services on install (etcd on :2379, which
  # the tests do not use). policy-rc.d answering 101 forbids that. An existing
  # policy-rc.d is the system's own: leave it as it is.
  guard=/usr/sbin/policy-rc.d
  if [ ! -e "$guard" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$guard"
    chmod 755 "$guard"
    trap 'rm -f "$guard"' EXIT
  fi
  install=(env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}")
  log=$(mktemp)
  # A fresh machine often has a stale or empty package index: refresh it and retry once.
  if ! "${install[@]}" >"$log" 2>&1; then
    if ! { apt-get update -qq && "${install[@]}"; } >"$log" 2>&1; then
      cat "$log" >&2; rm -f "$log"
      say "apt-get install failed"
      exit 1
    fi
  fi
  rm -f "$log"
fi

# kubectl: optional, so a failure here is reported and the run goes on.
if ! command -v kubectl >/dev/null; then
  if [ "$(id -u)" != 0 ]; then
    say "kubectl missing (cluster diags tests will skip); as root run: apt-get install kubernetes-client"
  else
    say "installing kubernetes-client (kubectl)"
    log=$(mktemp)
    install=(env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends kubernetes-client)
    if ! "${install[@]}" >"$log" 2>&1 && ! { apt-get update -qq && "${install[@]}"; } >"$log" 2>&1; then
      cat "$log" >&2
      say "could not install kubernetes-client; the cluster diags tests will skip"
    fi
    rm -f "$log"
  fi
fi

# npm writes node_modules/.package-lock.json on every install, so its age tells
# whether node_modules matches the current package-lock.json.
stamp="$repo/node_modules/.package-lock.json"
if [ ! -f "$stamp" ] || [ "$stamp" -ot "$repo/package-lock.json" ]; then
  say "running npm ci"
  (cd "$repo" && npm ci --no-audit --no-fund --loglevel=error >&2)
fi
