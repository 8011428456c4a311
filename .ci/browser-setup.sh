#!/usr/bin/env bash
# Install what the browser tests (tests/browser, marker "browser") need on a fresh Debian
# machine: Debian's Chromium. The playwright Python package comes from the project's test
# extras; Playwright's own browser download is not used (tests launch /usr/bin/chromium).
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  echo "chromium already installed: $(/usr/bin/chromium --version 2>/dev/null || true)"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends chromium fonts-dejavu-core
/usr/bin/chromium --version || true
