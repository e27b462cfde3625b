#!/usr/bin/env bash
# Install the Debian (bookworm) packages podgate needs to build and test.
# Only what is missing is installed; uses sudo when not root.
set -euo pipefail
packages=(build-essential cmake pkg-config python3 libyaml-dev libjsmn-dev
          python3-yaml time clang clang-format libclang-rt-14-dev valgrind python3-jsonschema libxml2-utils
          libmicrohttpd-dev libgnutls28-dev libcurl4-openssl-dev curl openssl wrk
          chromium)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y --no-install-recommends "${missing[@]}"
