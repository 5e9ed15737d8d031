#!/bin/sh
# Install the Debian packages the test suite needs, when they are missing:
# Chromium (and its driver) for the browser tests of the explorer and the site; nginx
# (nginx-light) for the test of the static site's content-negotiation rules.
set -e
need=""
command -v chromium >/dev/null 2>&1 || need="$need chromium"
command -v chromedriver >/dev/null 2>&1 || need="$need chromium-driver"
[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null 2>&1 || need="$need nginx-light"
[ -z "$need" ] && exit 0
if [ "$(id -u)" -eq 0 ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
  echo "metrokg: missing system packages:$need — install them (apt-get install$need) and retry" >&2
  exit 1
fi
echo "metrokg: installing system packages:$need" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $need >/dev/null
