#!/usr/bin/env bash
# Install the system packages the test suite drives: Debian's Chromium (browser
# tests, axe, Lighthouse) and a Java runtime (W3C Nu validator). Does nothing
# when they are present; never fails the build when it cannot install (the
# tests that need a missing tool then fail with a message saying so).
set -u
need=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || need+=(chromium)
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "system-deps: missing ${need[*]} and cannot apt-get install them here" >&2
  exit 0
fi
echo "system-deps: installing ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null && apt-get install -y -qq "${need[@]}" >/dev/null || echo "system-deps: install failed" >&2
exit 0
