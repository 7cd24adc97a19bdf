#!/usr/bin/env bash
# The README's test command, and what .ci/run runs: ./test.sh [maven arguments] runs ./mvnw verify [maven arguments]
# once the tools the tests run are there, and fails at once, in one line, where one is missing and cannot be had.
# It takes the same path on every machine, so that CI exercises what a fresh machine does:
# - promtool (PrometheusRulesTest): gateway/src/test/sh/promtool.sh finds or fetches it ($PAYEGRESS_PROMTOOL, else
#   a copy in target/tools fetched from Debian's package prometheus, else PATH); the tests get its path in
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

promtool="$(gateway/src/test/sh/promtool.sh)" || fail "see the line above"
version="$("$promtool" --version 2>&1)" || fail "promtool $promtool does not run: ${version%%$'\n'*}"
echo "test.sh: promtool $promtool (${version%%$'\n'*})"
export PAYEGRESS_PROMTOOL="$promtool"

{ /sbin/ldconfig -p 2>/dev/null || ldconfig -p 2>/dev/null || true; } | grep 'libssl\.so\.3 ' >/dev/null ||
  { [ "$(id -u)" = 0 ] && have apt-get && apt_update && quiet_apt install -y --no-install-recommends libssl3; } ||
  fail "the tests' embedded redis-server needs libssl.so.3 (see $log): as root, apt-get install libssl3"

exec ./mvnw verify -Dpayegress.redis.binary=embedded "$@"
