#!/usr/bin/env sh
# Installs the system packages the test-suite needs beyond pip: Debian's
# `chromium`, which the `ldkit serve` browser tests drive through Playwright
# (Playwright's own browser download is not used). Does nothing when the
# browser is already there; needs root (or sudo) and apt-get otherwise.
# Called by the README's test command and by .ci/run.
set -eu

browser="${LDKIT_CHROMIUM:-/usr/bin/chromium}"
if [ -x "$browser" ]; then
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-test-deps: no $browser and no apt-get; install Chromium yourself" \
         "(browser tests skip, or fail under CI=true)" >&2
    exit 0
fi
if [ "$(id -u)" -eq 0 ]; then
    sudo=""
elif command -v sudo >/dev/null 2>&1; then
    sudo="sudo"
else
    echo "install-test-deps: $browser is missing; run as root to install Debian's chromium" >&2
    exit 0
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends chromium >/dev/null
echo "install-test-deps: installed $($browser --version 2>/dev/null || echo chromium)" >&2
