#!/usr/bin/env bash
# Installs what the app needs from the OS packages: PostgreSQL and Redis servers (to run it),
# Chromium (for the browser tests, with --browser). As root it installs them with apt-get;
# otherwise it says exactly what to install. Quiet when everything is there.
set -euo pipefail

want_browser=0
[[ "${1:-}" == "--browser" ]] && want_browser=1

missing=()
compgen -G "/usr/lib/postgresql/*/bin/postgres" > /dev/null || command -v postgres > /dev/null || missing+=(postgresql)
command -v redis-server > /dev/null || [[ -x /usr/bin/redis-server ]] || missing+=(redis-server)
command -v setpriv > /dev/null || missing+=(util-linux)
if (( want_browser )); then
  [[ -x /usr/bin/chromium ]] || missing+=(chromium)
fi

if ! command -v dotnet > /dev/null; then
  echo "The .NET SDK is missing: install .NET 10 SDK (https://dot.net) and run this again." >&2
  exit 1
fi
(( ${#missing[@]} == 0 )) && exit 0

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
