#!/usr/bin/env python3
"""Summarises an async-profiler collapsed-stack file (one "frame;frame;...;leaf count" per line): CPU samples by thread
group (when the profile was taken with the `threads` option: the root frame names the thread), by area (the first area
found walking from the leaf up to the root) and the top leaf frames. Used by bench/profile.sh."""
import re
import sys
from collections import Counter

# (area, pattern) in priority order: the leaf-most frame that matches decides the area of a sample
AREAS = [
    ("JIT compiler", r"CompileBroker|C2Compiler|Compile::|C1_|Compilation::|PhaseIdealLoop|PhaseChaitin|PhaseIterGVN|Matcher::"),
    ("GC", r"G1|SerialHeap|GenCollectedHeap|ParallelScavenge|PSScavenge|ZGC|Shenandoah|GCTask|WorkerThread::run|DefNewGeneration|TenuredGeneration"),
    ("RSA / crypto", r"sun/security|java/math/BigInteger|com/sun/crypto|sun\.security|BigInteger|com/amazon/corretto|bn_|BN_|rsa_|RSA_"),
    ("payegress budget", r"io/payegress/filters/budget"),
    ("payegress idempotency", r"io/payegress/filters/idempotency"),
    ("payegress signing", r"io/payegress/filters/signing"),
    ("payegress validation", r"io/payegress/filters/validation|com/networknt|com/fasterxml|tools/jackson"),
    ("payegress other", r"io/payegress"),
    ("Lettuce (Redis)", r"io/lettuce"),
    ("logging", r"ch/qos/logback|org/slf4j|org/apache/logging"),
    ("metrics / observation", r"io/micrometer"),
    ("Spring Cloud Gateway", r"org/springframework/cloud/gateway"),
    ("Spring WebFlux / core", r"org/springframework"),
    ("Reactor Netty", r"reactor/netty"),
    ("Reactor core", r"reactor/core"),
    ("Netty", r"io/netty"),
    ("JDK", r"java/|jdk/|sun/"),
    ("kernel / native", r"\[k\]|_\[k\]|libc|libpthread|epoll|__"),
    ("JVM runtime", r"."),
]
compiled = [(name, re.compile(p)) for name, p in AREAS]
THREAD = re.compile(r"^\[(.*?)(?: tid=\d+)?\]$")


def thread_group(frame):
    """A thread's name without its numbers (reactor-http-epoll-3 -> reactor-http-epoll-N), or None."""
    match = THREAD.match(frame)
    return re.sub(r"\d+", "N", match.group(1)) if match else None


def main(path, top=25):
    areas, leaves, threads, total = Counter(), Counter(), Counter(), 0
    with open(path) as f:
        for line in f:
            stack, _, count = line.rstrip("\n").rpartition(" ")
            if not stack:
                continue
            n = int(count)
            total += n
            frames = stack.split(";")
            group = thread_group(frames[0])
            if group is not None:
                threads[group] += n
                frames = frames[1:] or frames
            leaves[frames[-1]] += n
            for frame in reversed(frames):
                area = next((name for name, p in compiled if name != "JVM runtime" and p.search(frame)), None)
                if area:
                    break
            areas[area or "JVM runtime"] += n
    print(f"{path}: {total} samples")
    if threads:
        print("by thread group:")
        for name, n in threads.most_common(12):
            print(f"  {100.0 * n / total:5.1f}%  {name}")
    print("by area (leaf-most frame that names one):")
    for name, n in areas.most_common():
        print(f"  {100.0 * n / total:5.1f}%  {name}")
    print(f"top {top} leaf frames:")
    for frame, n in leaves.most_common(top):
        print(f"  {100.0 * n / total:5.1f}%  {frame[:140]}")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 25)
