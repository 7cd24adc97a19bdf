#!/usr/bin/env bash
# The budget benchmark of issue 5, each part in its own process: one Redis, the WeChat Pay simulator (standalone
# jar, enforcing a strict sliding-window limit), N gateways (the production jar) and the open-loop load tool.
#
#   bench/budget.sh [--replicas=3] [--limit=500] [--tenants=20] [--weights=1] [--gateway-limit=<limit>]
#                   [--kill-redis-at=S --kill-redis-for=20 [--cut-redis-of=N]] [--gateway-opt=--some.property=value ...]
#                   [--no-build] [--anchor=scg] [--trace-departures] [--cpus=0] [--hog=1] [--cgroups] [--redis-nice=-10] [--load-nice=-10]
#                   [load tool options...]
#
# --anchor=scg runs stock Spring Cloud Gateway 5.0.4 with its RedisRateLimiter (../shared/reference/anchor-scg, built
# into target/anchor-scg) in place of the gateways, on the same Redis, simulator, tenants and load; the simulator then
# takes unsigned calls (--accept-unsigned). Every budget figure is read beside this row from the same hour. With
# --gateway-limit the anchor's rate limiter gets that rate and burst instead of its 500.
# --trace-departures logs every departure at DEBUG in the gateways and joins them with the simulator's arrivals
# (transit after the socket), and checks each call's count in the budget against its arrival (bench/trace-counts.py);
# with --kill-redis-at it also counts the calls on shared and on local grants and the seconds holding both
# (bench/mixed-grants.py); off by default, since a log line per request costs CPU the run is measuring.
#
# --kill-redis-at=S kills Redis S seconds into the measured run for --kill-redis-for seconds (it restarts empty);
# with --cut-redis-of=N Redis stays up and only gateway N is cut off from it instead: that gateway reaches Redis through
# a relay (bench/redis-relay.py), which is killed and started again (one replica degraded while the others share).
#
# Pressure: --cpus=LIST runs the whole stack (Redis, simulator, gateways, load tool) on those CPUs only (taskset -c);
# --hog=N runs N CPU hogs (stress-ng --cpu N, on the same CPUs) beside it for the whole run.
# --cgroups shares the CPU by process, as Kubernetes shares a node's CPU by pod, instead of by thread: each process
# (each gateway, Redis, the load tool, the CPU hog) gets its own cgroup-v1 cpu group of equal weight (cpu.shares
# 1024), the simulator one of 4096 (it stands for WeChat's servers, which this machine's load does not starve).
# Without it, a gateway's collector thread competes with every runnable thread of every process while its own JVM
# stands still. Needs root and /sys/fs/cgroup/cpu.
# --redis-nice=N runs Redis (and its restart) at nice N, as the simulator runs at -10: Redis then stands for a server of
# its own, as in production, instead of waiting for a CPU behind every gateway thread (at twice the limit on 2 cores,
# 13-21 ms before each of its time slices at nice 0, session 31). Off by default, as every earlier session ran; it
# applies to the anchor's row as well (its rate limiter uses the same Redis).
# --load-nice=N runs the load tool at nice N (-10: as the simulator): it stands for the stores' tills, which in
# production do not share a CPU with the gateways, so it keeps its schedule instead of falling behind it while the
# gateways keep the machine busy. At nice 0 (the default, as every session ran) it falls behind at twice the limit,
# offers the gateways less than the plan and then its backlog at once, and its latencies count its own lag (the
# answers' p50 15-33 s, against 1.1-1.9 s at -10). At -10 it also runs ahead of the gateways' raised threads (-5),
# which then wait for it (session 37). It applies to the anchor's row as well.
# Load tool options (LoadPlan/LoadTool): --rate=1000 --duration=30 --warmup=5 --pinned=true --light=20:10
# --limit-change=10:400 --step=60:400 (the offered total from second 60 of the run on: with --rate=2500, 5x and then
# 80% of the limit), --continuous=true (the load goes on from the warm-up into the run; by default the tool waits for
# every warm-up call's answer and resets the simulator first, so the run begins with the onset of the load on empty
# gateways). BENCH_JAVA_OPTS (default -Xmx512m) sets the JVM options of the simulator and gateways,
# BENCH_GATEWAY_JAVA_OPTS adds options for the gateways only (default: payegress's image setting
# -XX:TieredStopAtLevel=1 -XX:+UseParallelGC -XX:ParallelGCThreads=2 -XX:MetaspaceSize=128m -XX:ThreadPriorityPolicy=1 for payegress, nothing for the anchor; set it, even empty, to override);
# BENCH_GATEWAY_JAR runs another gateway jar (an older build, for a before/after comparison); BENCH_GATEWAY_JAVA is
# the java binary of the gateways (payegress's or the anchor's; default: java on the PATH, as for the other processes).
# Everything is written under target/bench/ (logs, keys, tenants file); processes are
# stopped on exit. Figures and the runs behind them: docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."

replicas=3 limit=500 tenants=20 weights=1 gateway_limit="" kill_at="" kill_for=20 cut_of="" build=true anchor="" trace=false
cpus="" hogs=0 cgroups=false redis_nice="" load_nice=0
load_args=()
gateway_opts=()
for arg in "$@"; do
  case "$arg" in
    --replicas=*) replicas="${arg#*=}" ;;
    --limit=*) limit="${arg#*=}" ;;
    --tenants=*) tenants="${arg#*=}"; load_args+=("$arg") ;;
    --weights=*) weights="${arg#*=}"; load_args+=("$arg") ;;
    --gateway-limit=*) gateway_limit="${arg#*=}" ;;
    --kill-redis-at=*) kill_at="${arg#*=}" ;;
    --kill-redis-for=*) kill_for="${arg#*=}" ;;
    --cut-redis-of=*) cut_of="${arg#*=}" ;;
    --gateway-opt=*) gateway_opts+=("${arg#*=}") ;;
    --no-build) build=false ;;
    --anchor=*) anchor="${arg#*=}" ;;
    --trace-departures) trace=true ;;
    --cpus=*) cpus="${arg#*=}" ;;
    --hog=*) hogs="${arg#*=}" ;;
    --cgroups) cgroups=true ;;
    --redis-nice=*) redis_nice="${arg#*=}" ;;
    --load-nice=*) load_nice="${arg#*=}" ;;
    *) load_args+=("$arg") ;;
  esac
done
gateway_limit="${gateway_limit:-$limit}"
if [[ -n "$cpus" && -z "${BENCH_PINNED:-}" ]]; then
  # every process started from here on inherits the affinity
  BENCH_PINNED="$cpus" exec taskset -c "$cpus" "$0" "$@"
fi
work="$PWD/target/bench"
rm -rf "$work" && mkdir -p "$work"
redis_port=6391 relay_port=6392 sim_port=8190 first_gateway_port=8181
# JVM options of the simulator and gateway processes (the load tool keeps its own)
read -r -a java_opts <<<"${BENCH_JAVA_OPTS:--Xmx512m}"
# extra JVM options for the gateways only: payegress runs with its image's compiler and collector settings unless told
# otherwise, the anchor as stock SCG (none) unless told otherwise
if [[ -n "$anchor" ]]; then default_gateway_opts=""; else default_gateway_opts="-XX:TieredStopAtLevel=1 -XX:+UseParallelGC -XX:ParallelGCThreads=2 -XX:MetaspaceSize=128m -XX:ThreadPriorityPolicy=1"; fi
read -r -a gateway_java_opts <<<"${BENCH_GATEWAY_JAVA_OPTS-$default_gateway_opts}"
gateway_java="${BENCH_GATEWAY_JAVA:-java}"

if $build; then
  ./mvnw -B -q -pl gateway -am install -DskipTests -Dmaven.jar.forceCreation=true
  ./mvnw -B -q -pl gateway test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$work/../bench-classpath.txt"
fi
classpath="gateway/target/test-classes:$(cat target/bench-classpath.txt)"
gateway_jar="${BENCH_GATEWAY_JAR:-$(ls gateway/target/payegress-gateway-*[0-9T].jar)}"
case "$anchor" in
  "") ;;
  scg)
    anchor_src="${BENCH_ANCHOR_SRC:-../shared/reference/anchor-scg}"
    anchor_jar="$PWD/target/anchor-scg/gateway/target/gateway-0.1.0-SNAPSHOT.jar"
    if [[ ! -f "$anchor_jar" ]] || $build; then
      rm -rf target/anchor-scg && mkdir -p target && cp -r "$anchor_src" target/anchor-scg
      (cd target/anchor-scg && ../../mvnw -q -B -DskipTests package)
    fi ;;
  *) echo "unknown --anchor=$anchor (scg)"; exit 2 ;;
esac

# cg NAME [SHARES]: the command prefix that runs a process in its own cpu group (see --cgroups), or nothing
cgroot=/sys/fs/cgroup/cpu/payegress-bench
if $cgroups; then
  [[ -w /sys/fs/cgroup/cpu ]] || { echo "--cgroups needs root and the cgroup-v1 cpu controller at /sys/fs/cgroup/cpu"; exit 2; }
  mkdir -p "$cgroot"
fi
cg() {
  if ! $cgroups; then return; fi
  mkdir -p "$cgroot/$1" && echo "${2:-1024}" >"$cgroot/$1/cpu.shares"
  cg_prefix=(bash -c 'echo $$ >"$0"; exec "$@"' "$cgroot/$1/cgroup.procs")
}
cg_prefix=()
pids=()
if ((hogs > 0)); then
  command -v stress-ng >/dev/null || { echo "--hog needs stress-ng (apt-get install stress-ng)"; exit 2; }
  cg_prefix=(); cg hog
  "${cg_prefix[@]}" stress-ng --cpu "$hogs" --quiet >"$PWD/target/bench/hog.log" 2>&1 &
  hog_pid=$!
fi
cleanup() {
  if [[ -n "${hog_pid:-}" ]]; then kill "$hog_pid" 2>/dev/null || true; fi
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  if [[ -n "$cut_of" ]]; then pkill -f "redis-relay.py $relay_port" 2>/dev/null || true; fi
  wait 2>/dev/null || true
  if $cgroups; then rmdir "$cgroot"/*/ "$cgroot" 2>/dev/null || true; fi; }
trap cleanup EXIT

redis_prefix=()
if [[ -n "$redis_nice" ]]; then
  [[ "$(nice -n "$redis_nice" nice 2>/dev/null)" == "$redis_nice" ]] || { echo "--redis-nice=$redis_nice is not allowed here (it needs root below 0)"; exit 2; }
  redis_prefix=(nice -n "$redis_nice")
fi
start_redis() {
  cg_prefix=(); cg redis
  "${cg_prefix[@]}" "${redis_prefix[@]}" redis-server --port "$redis_port" --save "" --appendonly no --daemonize no >>"$work/redis.log" 2>&1 &
  redis_pid=$!
  pids+=("$redis_pid")
}
command -v redis-server >/dev/null || { echo "bench/budget.sh needs redis-server and redis-cli (apt-get install redis-server redis-tools)"; exit 2; }
start_redis
start_relay() {
  cg_prefix=(); cg relay
  "${cg_prefix[@]}" python3 "$(dirname "$0")/redis-relay.py" "$relay_port" "$redis_port" >>"$work/relay.log" 2>&1 &
  relay_pid=$!
}
if [[ -n "$cut_of" ]]; then
  start_relay
  pids+=("$relay_pid")
fi
for _ in $(seq 50); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
redis-cli -p "$redis_port" ping >/dev/null || { echo "Redis did not start: $(tail -3 "$work/redis.log")"; exit 1; }

# The simulator stands for WeChat's servers, which the gateways' CPU does not starve: it runs at a higher priority
# (nice -10, when allowed), so that its arrival stamps measure the gateways, not this machine's run queue.
sim_nice=()
if nice -n -10 true 2>/dev/null; then sim_nice=(nice -n -10); fi
sim_log_level=INFO
if $trace; then sim_log_level=DEBUG; fi
cg_prefix=(); cg simulator 4096
"${cg_prefix[@]}" "${sim_nice[@]}" java "${java_opts[@]}" -Dsimulator.arrivals="$sim_log_level" -jar simulator/target/payegress-simulator-*-exec.jar --port="$sim_port" --host=127.0.0.1 \
  --limit="$limit" --accept-unsigned="$([[ -n "$anchor" ]] && echo true || echo false)" --merchant-serial=5157F09EFDC096DE15EBE81A47057A7232F1B8E1 --merchant-private-key-out="$work/merchant.pem" \
  --platform-public-key-id=PUB_KEY_ID_BENCH --platform-public-key-out="$work/platform.pem" \
  >"$work/simulator.log" 2>&1 &
sim_pid=$!
pids+=("$sim_pid")

# tenants bench-01..bench-NN, API key bench-key-NN, weights cyclic
IFS=, read -r -a cycle <<<"$weights"
{
  echo "payegress:"
  echo "  tenants:"
  for i in $(seq -w 1 "$tenants"); do
    w="${cycle[$(( (10#$i - 1) % ${#cycle[@]} ))]}"
    hash=$(printf '%s' "bench-key-$i" | sha256sum | cut -d' ' -f1)
    printf '    bench-%s:\n      api-key-sha256: [%s]\n      appids: [wx1234567889999]\n' "$i" "$hash"
    printf '      stocks: {"100088": MERCHANT_API}\n      weight: %s\n' "$w"
  done
} >"$work/tenants.yml"

for _ in $(seq 100); do [[ -s "$work/platform.pem" && -s "$work/merchant.pem" ]] && break; sleep 0.1; done
gateways=() gateway_pids=()
departures_level=INFO
if $trace; then departures_level=DEBUG; fi
for i in $(seq 1 "$replicas"); do
  port=$((first_gateway_port + i - 1))
  gateways+=("http://127.0.0.1:$port")
  # bench/profile.sh profiles replica 1
  agent=()
  if [[ "$i" == 1 && -n "${BENCH_PROFILE_AGENT:-}" ]]; then agent=("$BENCH_PROFILE_AGENT"); fi
  cg_prefix=(); cg "gateway-$i"
  if [[ -n "$anchor" ]]; then
    anchor_opts=()
    if [[ "$gateway_limit" != "$limit" ]]; then
      # --gateway-limit for the anchor: its route with the rate limiter's rate and burst at that limit (a list set in
      # two places is replaced whole, so the file repeats the whole route of application-redis.yml)
      cat >"$work/anchor-limit.yml" <<YAML
spring.cloud.gateway.server.webflux.routes:
  - id: busifavor-coupons-use
    uri: \${UPSTREAM_URI:http://127.0.0.1:18080}
    predicates: [Path=/v3/marketing/busifavor/coupons/use, Method=POST]
    filters:
      - name: RequestRateLimiter
        args:
          rate-limiter: "#{@redisRateLimiter}"
          key-resolver: "#{@constantKeyResolver}"
          redis-rate-limiter.replenishRate: $gateway_limit
          redis-rate-limiter.burstCapacity: $gateway_limit
          redis-rate-limiter.requestedTokens: 1
YAML
      anchor_opts+=(--spring.config.additional-location="file:$work/anchor-limit.yml")
    fi
    PORT="$port" UPSTREAM_URI="http://127.0.0.1:$sim_port" REDIS_PORT="$redis_port" \
      "${cg_prefix[@]}" "$gateway_java" "${java_opts[@]}" "${gateway_java_opts[@]}" "${agent[@]}" -jar "$anchor_jar" --spring.profiles.active=redis "${anchor_opts[@]}" >"$work/gateway-$i.log" 2>&1 &
    pids+=("$!") gateway_pids+=("$!")
    continue
  fi
  gateway_redis_port="$redis_port"
  if [[ "$i" == "$cut_of" ]]; then gateway_redis_port="$relay_port"; fi
  "${cg_prefix[@]}" "$gateway_java" "${java_opts[@]}" "${gateway_java_opts[@]}" "${agent[@]}" -jar "$gateway_jar" --server.port="$port" \
    --spring.config.additional-location="file:$work/tenants.yml" \
    --payegress.wechatpay.base-url="http://127.0.0.1:$sim_port" --payegress.wechatpay.merchant-id=1900000001 \
    --payegress.wechatpay.private-key-file="$work/merchant.pem" --payegress.wechatpay.serial-no=5157F09EFDC096DE15EBE81A47057A7232F1B8E1 \
    --payegress.wechatpay.public-key-id=PUB_KEY_ID_BENCH --payegress.wechatpay.platform-keys[0].id=PUB_KEY_ID_BENCH \
    --payegress.wechatpay.platform-keys[0].public-key-file="$work/platform.pem" \
    --spring.data.redis.port="$gateway_redis_port" --payegress.budget.coupons-use.limit="$gateway_limit" \
    --logging.level.io.payegress=WARN --logging.level.payegress.departures="$departures_level" "${gateway_opts[@]}" >"$work/gateway-$i.log" 2>&1 &
  pids+=("$!") gateway_pids+=("$!")
done
for url in "${gateways[@]}"; do
  for _ in $(seq 300); do curl -fs "$url/actuator/health/readiness" >/dev/null 2>&1 && break; sleep 0.2; done
  curl -fs "$url/actuator/health/readiness" >/dev/null || { echo "gateway $url did not start"; exit 1; }
done

if [[ -n "$kill_at" ]]; then
  warmup=5
  for arg in "${load_args[@]}"; do [[ "$arg" == --warmup=* ]] && warmup="${arg#*=}"; done
  (
    # from the start of the measured run, as the load tool says it (after its own start-up, the warm-up and the
    # simulator's reset), not from the gateways' readiness: timed from readiness, the kill came up to 13 s early
    for _ in $(seq $(((warmup + 300) * 10))); do
      grep -q '^measured run begins' "$work/load.txt" 2>/dev/null && break
      sleep 0.1
    done
    sleep "$kill_at"
    if [[ -n "$cut_of" ]]; then
      echo "  [bench] $(date +%T.%3N) cutting gateway $cut_of off from Redis (its relay killed) for ${kill_for}s"
      kill -9 "$relay_pid"
      sleep "$kill_for"
      start_relay
      echo "  [bench] $(date +%T.%3N) gateway $cut_of's relay to Redis restarted"
      wait "$relay_pid"
    else
      echo "  [bench] $(date +%T.%3N) killing Redis (SIGKILL) for ${kill_for}s"
      kill -9 "$redis_pid"
      sleep "$kill_for"
      echo "  [bench] $(date +%T.%3N) Redis restarted"
      cg_prefix=(); cg redis
      "${cg_prefix[@]}" "${redis_prefix[@]}" redis-server --port "$redis_port" --save "" --appendonly no --daemonize yes >>"$work/redis.log" 2>&1
    fi
  ) &
  pids+=("$!")
fi

joined=$(IFS=,; echo "${gateways[*]}")
# every process of the run, for the load tool's CPU split (where the machine's cores went)
watch="simulator:$sim_pid,redis:$redis_pid"
for i in "${!gateway_pids[@]}"; do watch+=",gateway-$((i + 1)):${gateway_pids[$i]}"; done
load_prefix=()
if [[ "$load_nice" != 0 ]]; then
  [[ "$(nice -n "$load_nice" nice 2>/dev/null)" == "$load_nice" ]] || { echo "--load-nice=$load_nice is not allowed here (it needs root below 0)"; exit 2; }
  load_prefix=(nice -n "$load_nice")
  echo "  [bench] the load tool runs at nice $load_nice"
fi
cg_prefix=(); cg load
"${cg_prefix[@]}" "${load_prefix[@]}" java -Xmx1g -cp "$classpath" io.payegress.gateway.bench.LoadTool --gateways="$joined" \
  --simulator="http://127.0.0.1:$sim_port" --limit="$limit" --watch="$watch" "${load_args[@]}" | tee "$work/load.txt"

# Departures as the gateways wrote them to the socket (System.nanoTime: one clock for all processes of this host),
# counted in sliding seconds over the measured run: tells bunching in the gateways from bunching after them.
read -r start end < <(sed -n 's/^run window nanos: //p' "$work/load.txt")
# resident memory of each gateway process at the end of the run, and its peak since start
for pid in "${gateway_pids[@]}"; do
  printf 'gateway pid %s: resident %s MiB (peak %s MiB), CPU %s s since start\n' "$pid" \
    "$(awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$pid/status")" \
    "$(awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$pid/status")" \
    "$(awk -v hz="$(getconf CLK_TCK)" '{ printf "%.1f", ($14 + $15) / hz }' "/proc/$pid/stat")"
done | tee -a "$work/load.txt"
# BENCH_AFTER_RUN: a command run with the gateways' pids before they stop (jcmd dumps: memory, classes)
if [[ -n "${BENCH_AFTER_RUN:-}" ]]; then bash -c "$BENCH_AFTER_RUN" bench-after-run "${gateway_pids[@]}" | tee -a "$work/load.txt"; fi
if ! $trace; then redis-cli -p "$redis_port" shutdown nosave >/dev/null 2>&1 || true; exit 0; fi
grep -ho 'departure [0-9]*' "$work"/gateway-*.log | cut -d' ' -f2 | sort -n \
  | awk -v start="$start" -v end="$end" '$1 >= start && $1 < end + 1e9 { t[n++] = $1 }
      END { j = 0; max = 0; for (i = 0; i < n; i++) { while (t[i] - t[j] >= 1e9) j++; if (i - j + 1 > max) { max = i - j + 1; at = t[i] } }
            printf "gateways wrote %d requests to WeChat in the run; max in any sliding second at departure: %d (ending %.3f s into the run)\n", n, max, (at - start) / 1e9 }'
# Transit from departure (gateway) to the simulator's rate limit, joined by the signature's nonce: how much of the
# safety margin the path after the socket (kernel, the simulator's event loop and signature check) took.
grep -ho 'departure [0-9]* [^ ]*' "$work"/gateway-*.log | awk '{ print $3, $2 }' | sort >"$work/departures.txt"
grep -ho 'arrival [0-9]* [^ ]*' "$work/simulator.log" | awk '{ print $3, $2 }' | sort >"$work/arrivals.txt"
join "$work/departures.txt" "$work/arrivals.txt" | awk -v start="$start" -v end="$end" \
    '$2 >= start && $2 < end + 1e9 { print ($3 - $2) / 1e6 }' | sort -n \
  | awk '{ t[n++] = $1 } END { if (n) printf "departure to the simulator'"'"'s limit: %d calls, transit p50 %.1f ms, p99 %.1f ms, max %.1f ms\n", n, t[int(n * 0.5)], t[int(n * 0.99)], t[n - 1] }'
# Each call's count in the budget against its arrival at the simulator's limit (the safety invariant, call by call).
python3 "$(dirname "$0")/trace-counts.py" "$work" "$start" "$end"
# With Redis killed: the calls on shared-store and on degraded replicas' local grants, and the seconds holding both.
if [[ -n "$kill_at" ]]; then
  python3 "$(dirname "$0")/mixed-grants.py" "$work"
fi
redis-cli -p "$redis_port" shutdown nosave >/dev/null 2>&1 || true
