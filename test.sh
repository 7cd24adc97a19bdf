#!/usr/bin/env bash
# The README's test command, and what .ci/run runs: ./test.sh [maven arguments] runs ./mvnw verify [maven arguments]
# once the tools the tests run are there, and fails at once, in one line, where one is missing and cannot be had.
# It takes the same path on every machine, so that CI exercises what a fresh machine does:
# - promtool (PrometheusRulesTest): $PAYEGRESS_PROMTOOL when set; else a project-local copy in target/tools,
#   fetched from Debian's package prometheus where missing (apt-get download + dpkg-deb, nothing installed;
#   apt-get update needs root); only where that cannot be done, a promtool on PATH. The tests get its path in
#   PAYEGRESS_PROMTOOL.
# - redis-server: the tests always run the binary shipped in embedded-redis (-Dpayegress.redis.binary=embedded),
#   whatever this machine has installed; it needs libssl.so.3, installed (apt-get install libssl3, as root) where
#   missing.
set -euo pipefail
cd "$(dirname "$0")"
export DEBIAN_FRONTEND=noninteractive
tools="$PWD/target/tools"
log="$tools/apt.log"
mkdir -p "$tools" && : >"$log"

fail() { echo "test.sh: $*" >&2; exit 1; }
have() { command -v "$1" >/dev/null 2>&1; }
quiet_apt() { apt-get -q -o APT::Sandbox::User=root "$@" </dev/null >>"$log" 2>&1; }
apt_update() { [ "$(id -u)" != 0 ] || [ -n "${updated:-}" ] || { quiet_apt update && updated=1; }; }

have javac || [ -x "${JAVA_HOME:-/none}/bin/javac" ] ||
  fail "no JDK: install a JDK 17 or newer (apt-get install openjdk-17-jdk-headless) or set JAVA_HOME"

fetch_promtool() {
  rm -rf "$tools/prometheus" && mkdir -p "$tools/prometheus"
  have apt-get && have dpkg-deb && apt_update && (cd "$tools/prometheus" && quiet_apt download prometheus) &&
    dpkg-deb --fsys-tarfile "$tools"/prometheus/prometheus_*.deb | tar -x -C "$tools/prometheus" ./usr/bin/promtool &&
    rm -f "$tools"/prometheus/prometheus_*.deb
}
promtool="${PAYEGRESS_PROMTOOL:-$tools/prometheus/usr/bin/promtool}"
if [ -z "${PAYEGRESS_PROMTOOL:-}" ] && [ ! -x "$promtool" ] && ! fetch_promtool; then
  promtool="$(command -v promtool || true)"
  [ -n "$promtool" ] ||
    fail "promtool not found and not fetchable here (needs Debian's apt-get, root if its package lists are empty; see $log): run as root, or put promtool (Debian package prometheus, or https://prometheus.io/download/) on PATH or in PAYEGRESS_PROMTOOL"
fi
[ -x "$promtool" ] || fail "promtool $promtool (PAYEGRESS_PROMTOOL) is not executable"
version="$("$promtool" --version 2>&1)" || fail "promtool $promtool does not run: ${version%%$'\n'*}"
echo "test.sh: promtool $promtool (${version%%$'\n'*})"
export PAYEGRESS_PROMTOOL="$promtool"

{ /sbin/ldconfig -p 2>/dev/null || ldconfig -p 2>/dev/null || true; } | grep 'libssl\.so\.3 ' >/dev/null ||
  { [ "$(id -u)" = 0 ] && have apt-get && apt_update && quiet_apt install -y --no-install-recommends libssl3; } ||
  fail "the tests' embedded redis-server needs libssl.so.3 (see $log): as root, apt-get install libssl3"

exec ./mvnw verify -Dpayegress.redis.binary=embedded "$@"
