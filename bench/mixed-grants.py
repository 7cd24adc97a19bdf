#!/usr/bin/env python3
"""Counts the calls a traced Redis-kill run sent on shared-store grants and on degraded replicas' local grants, and
the sliding seconds that held both (bench/budget.sh --trace-departures with --kill-redis-at).

A degraded replica grants its share locally; the shared store holds that share out of the limit while the replica may
be granting it (docs/stages/budget.md, Redis loss). A second holding both kinds is where the two stores granted
beside each other, so where that hold has to work. A grant id is "slot|sequence|tenant"; the shared store's slot is
Redis's clock in microseconds (16 digits), a local store's this host's monotonic clock in microseconds (fewer). Reads
the gateways' "leaving" lines (System.nanoTime() of this host); counts in sliding seconds stepped by 100 ms.

    bench/mixed-grants.py RUN_DIR     (the directory holding gateway-*.log)
"""
import bisect
import glob
import re
import sys

SECOND = 1_000_000_000
STEP = 100_000_000
LEAVING = re.compile(r": leaving (\d+) \S+ (\d+)\|")


def departures(run_dir):
    """(nanos, replica, shared) for every call the replicas sent, by time."""
    calls = []
    for replica, path in enumerate(sorted(glob.glob(run_dir + "/gateway-*.log")), 1):
        with open(path, errors="replace") as log:
            for line in log:
                m = LEAVING.search(line)
                if m:
                    calls.append((int(m.group(1)), replica, len(m.group(2)) >= 16))
    return sorted(calls)


def main(run_dir):
    calls = departures(run_dir)
    if not calls:
        sys.exit("no leaving lines: was the run traced (--trace-departures)?")
    times = [c[0] for c in calls]
    origin = times[0]
    print(f"calls {len(calls)}, on local grants {sum(1 for c in calls if not c[2])}")
    for replica in sorted({c[1] for c in calls}):
        local = [c[0] for c in calls if c[1] == replica and not c[2]]
        if local:
            print(f"replica {replica}: {len(local)} calls on local grants, "
                  f"{(local[0] - origin) / 1e9:.1f} s to {(local[-1] - origin) / 1e9:.1f} s of the trace")
    both, worst = [], None
    start = origin
    while start < times[-1]:
        second = calls[bisect.bisect_left(times, start):bisect.bisect_left(times, start + SECOND)]
        local = sum(1 for c in second if not c[2])
        if local and local < len(second):
            both.append((start - origin) / 1e9)
            if worst is None or len(second) > worst[0]:
                worst = (len(second), (start - origin) / 1e9, len(second) - local, local)
        start += STEP
    print(f"sliding seconds holding calls on both kinds: {len(both)}"
          + (f", {both[0]:.1f} s to {both[-1]:.1f} s" if both else ""))
    if worst:
        print(f"most calls in such a second: {worst[0]} from {worst[1]:.1f} s ({worst[2]} shared, {worst[3]} local)")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
