#!/usr/bin/env bash
# Profiles gateway replica 1 under the budget benchmark's load (bench/budget.sh, same options) with async-profiler
# (tools.profiler:async-profiler from Maven Central, CPU by itimer, per thread), one collapsed-stack file every
# --slice seconds, and prints the CPU of the last full slice of the measured run by thread group, by area and its top
# frames.
#
#   bench/profile.sh [--slice=20] [bench/budget.sh options: --rate=150 --duration=60 --warmup=60 ...]
#
# Files: target/bench/profile-*.collapsed (open them in any flame-graph tool), summary in target/bench/profile.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
version=4.2 slice=20 args=()
for arg in "$@"; do
  case "$arg" in
    --slice=*) slice="${arg#*=}" ;;
    *) args+=("$arg") ;;
  esac
done
tools="$PWD/target/tools"
so="$tools/async-profiler-$version/linux-x64/libasyncProfiler.so"
if [[ ! -f "$so" ]]; then
  ./mvnw -B -q dependency:copy -Dartifact="tools.profiler:async-profiler:$version" -DoutputDirectory="$tools" -Dmdep.useBaseVersion=true
  mkdir -p "$tools/async-profiler-$version"
  (cd "$tools/async-profiler-$version" && unzip -q -o "$tools/async-profiler-$version.jar" 'linux-x64/*')
fi
export BENCH_PROFILE_AGENT="-agentpath:$so=start,event=itimer,threads,loop=${slice}s,collapsed,file=$PWD/target/bench/profile-%t.collapsed"
bench/budget.sh "${args[@]}"
# the newest slice that ended before the load stopped is the last full one of the run: the file written before
# the newest (which holds the drain and the shutdown)
last=$(ls -1 target/bench/profile-*.collapsed | sort | tail -2 | head -1)
python3 bench/profile-summary.py "$last" 30 | tee target/bench/profile.txt
