#!/usr/bin/env bash
# The README's test command: ./test.sh [maven arguments] runs ./mvnw verify [maven arguments] once the tools the tests
# run are there, and fails at once, in one line, where one is missing and cannot be fetched.
# - promtool (PrometheusRulesTest): $PAYEGRESS_PROMTOOL, else PATH, else fetched from Debian's package prometheus into
#   target/tools/prometheus (apt-get download + dpkg-deb, nothing installed; apt-get update needs root). The tests get
#   its path in PAYEGRESS_PROMTOOL.
# - redis-server: none needed (the tests fall back to the binary in embedded-redis), but that binary needs libssl.so.3,
#   which is installed (apt-get install libssl3, as root) where missing.
# PAYEGRESS_TOOLS_FRESH=1 ignores what this machine has installed, as on a fresh machine: promtool is fetched afresh
# and the tests run the embedded redis-server (.ci/run sets it).
set -euo pipefail
cd "$(dirname "$0")"
export DEBIAN_FRONTEND=noninteractive
fresh="${PAYEGRESS_TOOLS_FRESH:-0}"
tools="$PWD/target/tools"
log="$tools/apt.log"
mvn_args=()
mkdir -p "$tools" && : >"$log"

fail() { echo "test.sh: $*" >&2; exit 1; }
have() { command -v "$1" >/dev/null 2>&1; }
quiet_apt() { apt-get -q -o APT::Sandbox::User=root "$@" </dev/null >>"$log" 2>&1; }
apt_update() { [ "$(id -u)" != 0 ] || [ -n "${updated:-}" ] || { quiet_apt update && updated=1; }; }

have javac || [ -x "${JAVA_HOME:-/none}/bin/javac" ] ||
  fail "no JDK: install a JDK 17 or newer (apt-get install openjdk-17-jdk-headless) or set JAVA_HOME"

promtool="${PAYEGRESS_PROMTOOL:-$(command -v promtool || true)}"
if [ "$fresh" = 1 ] || [ -z "$promtool" ]; then
  promtool="$tools/prometheus/usr/bin/promtool"
  if [ "$fresh" = 1 ] || [ ! -x "$promtool" ]; then
    rm -rf "$tools/prometheus" && mkdir -p "$tools/prometheus"
    { have apt-get && have dpkg-deb && apt_update && (cd "$tools/prometheus" && quiet_apt download prometheus); } ||
      fail "promtool not found and not fetchable here (needs Debian's apt-get, root if its package lists are empty; see $log): run as root, or put promtool (Debian package prometheus, or https://prometheus.io/download/) on PATH or in PAYEGRESS_PROMTOOL"
    dpkg-deb --fsys-tarfile "$tools"/prometheus/prometheus_*.deb | tar -x -C "$tools/prometheus" ./usr/bin/promtool
    rm -f "$tools"/prometheus/prometheus_*.deb
  fi
fi
[ -x "$promtool" ] || fail "promtool $promtool (PAYEGRESS_PROMTOOL) is not executable"
version="$("$promtool" --version 2>&1)" || fail "promtool $promtool does not run: ${version%%$'\n'*}"
echo "test.sh: promtool $promtool (${version%%$'\n'*})"
export PAYEGRESS_PROMTOOL="$promtool"

if [ "$fresh" = 1 ]; then mvn_args+=(-Dpayegress.redis.binary=embedded); fi
if [ "$fresh" = 1 ] || ! have redis-server; then
  { /sbin/ldconfig -p 2>/dev/null || ldconfig -p 2>/dev/null || true; } | grep 'libssl\.so\.3 ' >/dev/null ||
    { [ "$(id -u)" = 0 ] && have apt-get && apt_update && quiet_apt install -y --no-install-recommends libssl3; } ||
    fail "the tests' embedded redis-server needs libssl.so.3 (see $log): as root, apt-get install libssl3 (or redis-server)"
fi

exec ./mvnw verify ${mvn_args[@]+"${mvn_args[@]}"} "$@"
