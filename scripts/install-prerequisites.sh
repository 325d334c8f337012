#!/usr/bin/env bash
# Installs what the app needs from the OS packages: PostgreSQL and Redis servers (to run it),
# Chromium and Node.js (for the tests, with --browser: browser tests, and the OpenAPI linter
# @redocly/cli from npm into .tools/). As root it installs them with apt-get; otherwise it says
# exactly what to install. Quiet when everything is there.
set -euo pipefail

want_browser=0
[[ "${1:-}" == "--browser" ]] && want_browser=1

missing=()
compgen -G "/usr/lib/postgresql/*/bin/postgres" > /dev/null || command -v postgres > /dev/null || missing+=(postgresql)
command -v redis-server > /dev/null || [[ -x /usr/bin/redis-server ]] || missing+=(redis-server)
command -v setpriv > /dev/null || missing+=(util-linux)
if (( want_browser )); then
  [[ -x /usr/bin/chromium ]] || missing+=(chromium)
  command -v npm > /dev/null || missing+=(nodejs npm)
fi

# The OpenAPI linter the tests run on every service's document (npm's registry, pinned), kept in .tools/.
install_linter() {
  local root redocly_version=2.77.0
  root="$(cd "$(dirname "$0")/.." && pwd)"
  [[ -x "$root/.tools/node_modules/.bin/redocly" ]] && grep -q "\"version\": \"$redocly_version\"" \
    "$root/.tools/node_modules/@redocly/cli/package.json" 2> /dev/null && return 0
  echo "Installing @redocly/cli $redocly_version into .tools/ (npm)..."
  npm install --prefix "$root/.tools" --no-audit --no-fund --loglevel=error "@redocly/cli@$redocly_version" > /tmp/ecommerce-npm.log 2>&1 || {
    tail -20 /tmp/ecommerce-npm.log >&2
    echo "npm install @redocly/cli failed (log above)." >&2
    exit 1
  }
}

if ! command -v dotnet > /dev/null; then
  echo "The .NET SDK is missing: install .NET 10 SDK (https://dot.net) and run this again." >&2
  exit 1
fi
if (( ${#missing[@]} == 0 )); then
  (( want_browser )) && install_linter
  exit 0
fi

if [[ "$(id -u)" != "0" ]]; then
  echo "Missing OS packages: ${missing[*]}" >&2
  echo "Install them with:  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi

echo "Installing ${missing[*]} from the OS packages..."
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" > /tmp/ecommerce-apt.log 2>&1 || {
  tail -20 /tmp/ecommerce-apt.log >&2
  echo "apt-get install ${missing[*]} failed (log above)." >&2
  exit 1
}
# The packages start their own servers as system services where an init system runs;
# the AppHost runs its own on other ports, so those are left as they are.
echo "Installed ${missing[*]}."
(( want_browser )) && install_linter
exit 0
