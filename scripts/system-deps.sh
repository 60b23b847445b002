#!/usr/bin/env bash
# Install what the page quality tests drive: Debian's Chromium (browser tests,
# axe, Lighthouse), a Java runtime (W3C Nu checker), Node.js and the npm tools
# pinned in package.json / package-lock.json (axe-core, lighthouse) into the
# project's own node_modules/. Does nothing when they are present; never fails
# the build when it cannot install: the tests that need a missing tool then
# fail with a message saying which tool and how to get it.
set -u
cd "$(dirname "$0")/.."
need=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || need+=(chromium)
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
command -v node >/dev/null 2>&1 || need+=(nodejs)
command -v npm >/dev/null 2>&1 || need+=(npm)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "system-deps: missing ${need[*]} and cannot apt-get install them here" >&2
  else
    echo "system-deps: installing ${need[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null && apt-get install -y -qq "${need[@]}" >/dev/null || echo "system-deps: install failed" >&2
  fi
fi
# npm tools: reinstall when the lock file is newer than the installed tree.
if command -v npm >/dev/null 2>&1; then
  if [ ! -x node_modules/.bin/lighthouse ] || [ ! -f node_modules/axe-core/axe.min.js ] \
     || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "system-deps: npm ci (axe-core, lighthouse)" >&2
    npm ci --no-audit --no-fund --loglevel=error >/dev/null || echo "system-deps: npm ci failed" >&2
  fi
fi
exit 0
