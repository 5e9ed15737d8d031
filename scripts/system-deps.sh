#!/bin/sh
# Install the Debian packages the test suite needs, when they are missing:
# Chromium (and its driver) for the browser tests of the explorer and the site,
# Virtuoso Open Source (virtuoso-t, isql-vt) for the triple-store tests of `metrokg push`,
# and nginx (nginx-light) for the test of the static site's content-negotiation rules.
set -e
need=""
command -v chromium >/dev/null 2>&1 || need="$need chromium"
command -v chromedriver >/dev/null 2>&1 || need="$need chromium-driver"
command -v virtuoso-t >/dev/null 2>&1 || need="$need virtuoso-opensource"
[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null 2>&1 || need="$need nginx-light"
[ -z "$need" ] && exit 0
if [ "$(id -u)" -eq 0 ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
  echo "metrokg: missing system packages:$need — install them (apt-get install$need) and retry" >&2
  exit 1
fi
echo "metrokg: installing system packages:$need" >&2
case "$need" in *virtuoso-opensource*)
  # virtuoso-opensource-7 asks (debconf, priority high) for a new dba password. Preseed
  # an empty one: the package then disables and stops its own system-wide server (it
  # keeps the default password), and nothing listens on 1111/8890. The tests start their
  # own server on a throwaway database (tests/virtuoso.py).
  printf '%s\n' \
    'virtuoso-opensource-7 virtuoso-opensource-7/dba-password password ' \
    'virtuoso-opensource-7 virtuoso-opensource-7/dba-password-again password ' \
    | $SUDO debconf-set-selections ;;
esac
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $need >/dev/null
