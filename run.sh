#!/usr/bin/env bash
# Starts the whole system: PostgreSQL, Redis and every service, with their logs on this console.
# Options go to the AppHost: --data-dir DIR, --random-ports, --state-file FILE (--help lists them).
set -euo pipefail
cd "$(dirname "$0")"

scripts/install-prerequisites.sh
echo "Building (Release)..."
dotnet build ECommerce.AppHost -c Release -nologo -v quiet -clp:ErrorsOnly
exec dotnet ECommerce.AppHost/bin/Release/net10.0/ECommerce.AppHost.dll "$@"
