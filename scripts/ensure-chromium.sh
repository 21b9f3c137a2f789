#!/usr/bin/env bash
# ensure-chromium.sh - Debian's chromium, which the tests use headless to look at the pictures
# `bgp topology -o svg|html` draws; safe to run repeatedly. Silent when it is installed; else
# installs the packages chromium and fonts-dejavu-core (text in the screenshots) with apt as
# root, or exits 1 saying what to run. Kept apart from ensure-deps.sh so that `npm run demo`
# does not pull a browser in.
set -euo pipefail
say() { echo "ensure-chromium: $*" >&2; }

command -v chromium >/dev/null && exit 0
packages=(chromium fonts-dejavu-core)
if [ "$(id -u)" != 0 ]; then
  say "chromium is missing; as root run: apt-get install ${packages[*]}"
  exit 1
fi
say "installing ${packages[*]}"
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
command -v chromium >/dev/null || { say "chromium was installed but is not on PATH"; exit 1; }
