#!/bin/sh
# Make sure Debian's Chromium is installed for the browser tests (tests/browser). Playwright is
# used as a library only and never downloads a browser; the tests launch this one by its path.
# Installs with apt only when chromium is missing; fails with a clear message when it cannot.
set -eu
if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then
    exit 0
fi
if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo -n"
else
    echo "chromium is missing: install it with 'sudo apt-get install -y chromium' (the browser tests need it)" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get install -y --no-install-recommends chromium >/dev/null 2>&1 || {
    $SUDO apt-get update >/dev/null
    $SUDO apt-get install -y --no-install-recommends chromium
}
command -v chromium >/dev/null 2>&1
