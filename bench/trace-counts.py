#!/usr/bin/env python3
"""Checks every traced call's count in the budget against its arrival at the simulator (bench/budget.sh
--trace-departures).

The budget's safety rests on one invariant: a call reaches WeChat's counter at least one second before its grant stops
counting (its last count reported: from its departure, then from its answer, a late answer or a failure). A slot
granted after that end can share a sliding second with the call only when the invariant fails, so each failure is
where an excess over the limit can start, whether or not the limit was full there. It needs the gateways' trace
lines ("leaving", "departure", "counted") and the simulator's ("arrival"), all in System.nanoTime() of this host.

    bench/trace-counts.py WORK_DIR START_NANOS END_NANOS
"""
import glob
import re
import sys

SECOND = 1_000_000_000
LEAVING = re.compile(r"leaving (\d+) (\S+) (\S+)")
WIRE = re.compile(r"departure (\d+) (\S+)")
COUNTED = re.compile(r"counted (\S+) (\S+) (\d+) (\d+) (\d+)")
ARRIVAL = re.compile(r"arrival (\d+) (\S+)")


def percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * q))] if values else float("nan")


def lapsed(events, reached):
    """The longest time a call's known count had ended, before its arrival plus a second, until a later report
    extended it; None when it never did. Each report sets the count as main's own check reads it."""
    known, longest = None, None
    for event, seen, _, event_until in sorted(events, key=lambda e: e[1]):
        if known is not None and known < seen and known < reached + SECOND:
            gap = min(seen, reached + SECOND) - known
            longest = gap if longest is None else max(longest, gap)
        if event in ("left", "left-late", "late-answer"):
            known = event_until
        elif event == "answer":
            known = event_until if known is None else min(known, event_until)
        elif event == "failure":
            known = event_until if known is None else max(known, event_until)
    return longest


def main(work, start, end):
    grant_of, leaving, wire, counts, replica_of = {}, {}, {}, {}, {}
    for path in sorted(glob.glob(f"{work}/gateway-*.log")):
        replica = re.search(r"gateway-(\d+)", path).group(1)
        with open(path, errors="replace") as log:
            for line in log:
                if "payegress.departures" not in line:
                    continue
                if m := LEAVING.search(line):
                    nonce = m.group(2)
                    leaving[nonce], grant_of[nonce], replica_of[nonce] = int(m.group(1)), m.group(3), replica
                elif m := COUNTED.search(line):
                    counts.setdefault(m.group(1), []).append(
                        (m.group(2), int(m.group(3)), int(m.group(4)), int(m.group(5))))
                elif m := WIRE.search(line):
                    wire[m.group(2)] = int(m.group(1))
    arrival = {}
    with open(f"{work}/simulator.log", errors="replace") as log:
        for line in log:
            if m := ARRIVAL.search(line):
                arrival.setdefault(m.group(2), int(m.group(1)))

    calls, gaps, transits, broken, exposed, lapses = 0, [], [], [], [], []
    for nonce, left in leaving.items():
        if nonce not in arrival or not (start <= arrival[nonce] < end + SECOND):
            continue
        calls += 1
        reached = arrival[nonce]
        if nonce in wire:
            gaps.append(wire[nonce] - left)
        transits.append(reached - left)
        until, departed_until, answer_seen = None, None, None
        for event, seen, _, event_until in counts.get(grant_of[nonce], []):
            if event in ("left", "left-late"):
                until = departed_until = event_until
            elif event == "answer":
                until = event_until if until is None else min(until, event_until)
                answer_seen = seen
            elif event == "late-answer":
                until, answer_seen = event_until, seen
            elif event == "failure":
                until = event_until if until is None else max(until, event_until)
                answer_seen = seen
        if until is None:
            continue
        if reached + SECOND > until:
            broken.append((reached + SECOND - until, nonce))
        # the count its store knew, report by report: a count that ended before the next report extended it left
        # the grant's room free meanwhile (the log trims it, and puts it back on the report)
        if (lapse := lapsed(counts.get(grant_of[nonce], []), reached)) is not None:
            lapses.append((lapse, nonce))
        # until the answer is counted, the departure's count stands: short when the way took longer than it allows
        if departed_until is not None and reached + SECOND > departed_until and answer_seen is not None:
            exposed.append((departed_until - answer_seen, nonce))

    ms = 1e6
    print(f"traced calls that reached the simulator's limit: {calls} (leaving lines {len(leaving)}, "
          f"arrivals {len(arrival)})")
    if gaps:
        print(f"budget told it leaves -> written (gateway): p50 {percentile(gaps, 0.5) / ms:.2f} ms, "
              f"p99 {percentile(gaps, 0.99) / ms:.2f} ms, max {max(gaps) / ms:.1f} ms")
    if transits:
        print(f"budget told it leaves -> the simulator's limit: p50 {percentile(transits, 0.5) / ms:.2f} ms, "
              f"p99 {percentile(transits, 0.99) / ms:.2f} ms, max {max(transits) / ms:.1f} ms; "
              f"over 50 ms: {sum(1 for t in transits if t > 50 * ms)}")
    print(f"calls that reached the limit later than one second before their count ended: {len(broken)}")
    for over, nonce in sorted(broken, reverse=True)[:10]:
        events = " ".join(f"{e}@{(s - leaving[nonce]) / ms:.1f}->{(u - leaving[nonce]) / ms:.1f}"
                          for e, s, _, u in counts[grant_of[nonce]])
        print(f"  {over / ms:.1f} ms short: replica {replica_of[nonce]} grant {grant_of[nonce]} at "
              f"{(leaving[nonce] - start) / SECOND:.3f} s, reached the limit "
              f"{(arrival[nonce] - leaving[nonce]) / ms:.1f} ms after leaving; counts (ms after leaving): {events}")
    print(f"calls whose count, as known when each report came, ended before a later report extended it and before "
          f"their arrival plus a second: {len(lapses)}"
          + (f"; the longest such gap {max(lapses)[0] / ms:.1f} ms" if lapses else ""))
    if exposed:
        slack = min(exposed)
        print(f"calls whose departure's count was short until their answer was counted: {len(exposed)}; "
              f"the least time between that answer and the end of the departure's count: {slack[0] / ms:.1f} ms")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
