#!/usr/bin/env python3
"""CPU run time and run-queue wait by thread group, from /proc/<pid>/task/*/schedstat, over an interval.

    bench/sched-waits.py SECONDS NAME:PID [NAME:PID ...]

Run it beside bench/budget.sh (for example `NAME:PID` for each gateway, the simulator, Redis and the load tool).
Per thread group (thread names with digits folded): milliseconds per second on a CPU, milliseconds per second
runnable but waiting for one, time slices per second, and the mean wait before a slice: on a machine whose run queue
is longer than its cores, the last is how late a thread that wakes (a timer, a read) gets to run.
"""
import collections
import os
import re
import sys
import time


def snapshot(pid):
    threads = {}
    for tid in os.listdir(f'/proc/{pid}/task'):
        try:
            with open(f'/proc/{pid}/task/{tid}/comm') as comm, open(f'/proc/{pid}/task/{tid}/schedstat') as stat:
                run, wait, slices = map(int, stat.read().split())
                threads[tid] = (comm.read().strip(), run, wait, slices)
        except (OSError, ValueError):
            pass  # the thread ended
    return threads


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    seconds = float(sys.argv[1])
    processes = [arg.split(':', 1) for arg in sys.argv[2:]]
    before = {name: snapshot(pid) for name, pid in processes}
    time.sleep(seconds)
    after = {name: snapshot(pid) for name, pid in processes}
    for name, _ in processes:
        groups = collections.defaultdict(lambda: [0, 0, 0, 0])
        for tid, (comm, run, wait, slices) in after[name].items():
            if tid not in before[name]:
                continue
            _, run0, wait0, slices0 = before[name][tid]
            group = groups[re.sub(r'\d+', 'N', comm)]
            group[0] += run - run0
            group[1] += wait - wait0
            group[2] += slices - slices0
            group[3] += 1
        print(f'== {name} over {seconds:.0f} s')
        for group, (run, wait, slices, threads) in sorted(groups.items(), key=lambda item: -item[1][0]):
            if run < 1e6:
                continue
            print(f'  {group:24s} threads {threads:3d}  run {run / 1e6 / seconds:7.1f} ms/s  '
                  f'waiting {wait / 1e6 / seconds:7.1f} ms/s  slices {slices / seconds:6.0f}/s  '
                  f'wait per slice {wait / max(slices, 1) / 1e6:6.2f} ms')


if __name__ == '__main__':
    main()
