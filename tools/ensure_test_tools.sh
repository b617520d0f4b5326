#!/usr/bin/env bash
# Makes sure the system tools the tests drive are present: Chromium (browser tests),
# ImageMagick (exported command lines), npm (axe-core), nginx and redis-server (the topology
# tests). Installs them with apt-get when it can; otherwise says how. Under CI=true a missing
# tool is an error.
set -euo pipefail

missing=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || missing+=(chromium)
# A `convert` on the PATH may be a stand-in: ask the package manager where there is one.
if command -v dpkg-query >/dev/null 2>&1; then
  dpkg-query -W -f='${Status}' imagemagick 2>/dev/null | grep -q "install ok installed" || missing+=(imagemagick)
else
  command -v convert >/dev/null 2>&1 || command -v magick >/dev/null 2>&1 || missing+=(imagemagick)
fi
command -v npm >/dev/null 2>&1 || missing+=(npm)
# The topology tests run real nginx and redis-server processes on loopback.
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v redis-server >/dev/null 2>&1 || [ -x /usr/bin/redis-server ] || missing+=(redis-server)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing ${missing[*]} with apt-get..."
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
  exit 0
fi

echo "Missing for the tests: ${missing[*]}." >&2
echo "On Debian or Ubuntu: sudo apt-get install -y ${missing[*]}" >&2
if [ "${CI:-}" = "true" ]; then
  exit 1
fi
echo "Carrying on: tests that need them will be skipped." >&2
