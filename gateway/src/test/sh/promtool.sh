#!/usr/bin/env bash
# Prints the path of the promtool the alert-rule tests run (PrometheusRulesTest), or fails with one line on stderr:
# $PAYEGRESS_PROMTOOL when set; else a project-local copy in target/tools, fetched from Debian's package prometheus
# where missing (apt-get download + dpkg-deb, nothing installed; apt-get update needs root); only where that cannot
# be done, a promtool on PATH. Run by ./test.sh before Maven, and by the test itself when Maven runs alone
# (./mvnw verify), so that both take the same path. Its apt output goes to target/tools/apt.log.
set -euo pipefail
cd "$(dirname "$0")/../../../.."
export DEBIAN_FRONTEND=noninteractive
tools="$PWD/target/tools"
log="$tools/apt.log"
mkdir -p "$tools"

have() { command -v "$1" >/dev/null 2>&1; }
quiet_apt() { apt-get -q -o APT::Sandbox::User=root "$@" </dev/null >>"$log" 2>&1; }

fetch() {
  rm -rf "$tools/prometheus" && mkdir -p "$tools/prometheus"
  have apt-get && have dpkg-deb || return 1
  # the package lists are needed to download; updating them needs root
  if [ "$(id -u)" = 0 ]; then quiet_apt update || return 1; fi
  (cd "$tools/prometheus" && quiet_apt download prometheus) &&
    dpkg-deb --fsys-tarfile "$tools"/prometheus/prometheus_*.deb | tar -x -C "$tools/prometheus" ./usr/bin/promtool &&
    rm -f "$tools"/prometheus/prometheus_*.deb
}

if [ -n "${PAYEGRESS_PROMTOOL:-}" ]; then
  promtool="$PAYEGRESS_PROMTOOL"
else
  promtool="$tools/prometheus/usr/bin/promtool"
  if [ ! -x "$promtool" ] && ! fetch; then
    promtool="$(command -v promtool || true)"
    [ -n "$promtool" ] || {
      echo "promtool not found and not fetchable here (needs Debian's apt-get, root if its package lists are empty; see $log): run as root, or put promtool (Debian package prometheus, or https://prometheus.io/download/) on PATH or in PAYEGRESS_PROMTOOL" >&2
      exit 1
    }
  fi
fi
[ -x "$promtool" ] || { echo "promtool $promtool (PAYEGRESS_PROMTOOL) is not executable" >&2; exit 1; }
echo "$promtool"
