#!/bin/sh
# Installs headless Chromium and its WebDriver from Debian's packages (chromium, chromium-driver)
# for the console's browser tests (ConsoleBrowserIntegrationTest). Does nothing when both are
# already on the PATH. Needs root (CI runs as root) and Debian's package archive; exits non-zero,
# saying why, when it cannot install.
set -eu
PACKAGES="chromium chromium-driver"
if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "apt-get is not available: install Chromium and chromedriver by hand ($PACKAGES on Debian)" >&2
  exit 2
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "not root: run 'apt-get update && apt-get install -y $PACKAGES' as root" >&2
  exit 3
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $PACKAGES fonts-dejavu-core
command -v chromium >/dev/null && command -v chromedriver >/dev/null
