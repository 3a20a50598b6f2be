#!/usr/bin/env bash
# Installs the Debian packages GatewayKit builds and tests with. Safe to run again.
set -euo pipefail
packages=(libsqlite3-dev libhiredis-dev redis-server postgresql curl python3 python3-venv openssl)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
    if [ "$(id -u)" -ne 0 ]; then sudo=sudo; else sudo=; fi
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq "${missing[@]}"
fi
