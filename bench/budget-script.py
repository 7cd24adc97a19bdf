#!/usr/bin/env python3
"""Measures what the budget's Lua script costs Redis a call, apart from the gateways: starts its own redis-server on a
free port, drives the script the way several replicas at 80% of the limit do (each call reports every tenant, a backlog
of one for about a fifth of them, and the answers of earlier grants), and prints Redis's own CPU a call (from /proc)
and the script's time a call (INFO commandstats). Session 43 measured the report a replica as one field with it.

  bench/budget-script.py [--script=PATH] [--layout=record|per-tenant] [--tenants=20] [--replicas=3] [--calls=190]
                         [--seconds=10]

--layout=per-tenant drives a script from before session 43 (each demand five arguments, seven keys), for example
`git show 4eecab2:filters/src/main/resources/io/payegress/filters/budget/budget.lua > /tmp/before.lua`.
Needs redis-server on the PATH; run it on a quiet machine, as every benchmark here.
"""
import argparse
import os
import random
import socket
import subprocess
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.join(HERE, "..", "filters", "src", "main", "resources", "io", "payegress", "filters", "budget",
                      "budget.lua")
PREFIX = "payegress:budget:{1900000001:coupons-use}:"


class Redis:
    """Just enough of RESP for this: one command at a time, replies decoded as they come."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.file = self.sock.makefile("rb")

    def call(self, *args):
        out = [b"*%d\r\n" % len(args)]
        for arg in args:
            data = arg if isinstance(arg, bytes) else str(arg).encode()
            out.append(b"$%d\r\n%s\r\n" % (len(data), data))
        self.sock.sendall(b"".join(out))
        return self.reply()

    def reply(self):
        line = self.file.readline()
        kind, rest = line[:1], line[1:-2]
        if kind == b"+":
            return rest.decode()
        if kind == b"-":
            raise RuntimeError(rest.decode())
        if kind == b":":
            return int(rest)
        if kind == b"$":
            size = int(rest)
            return None if size < 0 else self.file.read(size + 2)[:-2]
        if kind == b"*":
            size = int(rest)
            return None if size < 0 else [self.reply() for _ in range(size)]
        raise RuntimeError("unexpected reply %r" % line)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_ticks(pid):
    fields = open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--script", default=SCRIPT)
    parser.add_argument("--layout", choices=["record", "per-tenant"], default="record")
    parser.add_argument("--tenants", type=int, default=20)
    parser.add_argument("--replicas", type=int, default=3)
    parser.add_argument("--calls", type=float, default=190, help="calls a second over all replicas")
    parser.add_argument("--seconds", type=float, default=10)
    args = parser.parse_args()

    port = free_port()
    server = subprocess.Popen(["redis-server", "--port", str(port), "--save", "", "--appendonly", "no"],
                              stdout=subprocess.DEVNULL)
    try:
        redis = None
        for _ in range(50):
            try:
                redis = Redis(port)
                redis.call("PING")
                break
            except OSError:
                redis = None
                time.sleep(0.1)
        if redis is None:
            raise SystemExit("redis-server on port %d did not answer within 5 s" % port)
        sha = redis.call("SCRIPT", "LOAD", open(args.script, "rb").read())
        names = ["log", "counts", "demand", "state", "live", "offered", "members"]
        if args.layout == "record":
            names.append("reports")
        keys = [PREFIX + name for name in names]
        replicas = ["replica-%d" % i for i in range(args.replicas)]
        answers = {r: [] for r in replicas}
        rng = random.Random(1)

        def call(replica):
            demands = []
            for t in range(args.tenants):
                offered = 400.0 / args.tenants + rng.random()
                demands += ["tenant-%03d" % t, rng.choice([0, 0, 0, 0, 1]), 1, -1, "%.3f" % offered]
            now = int(time.time() * 1e6)
            departures = []
            for grant in answers[replica][:10]:
                departures += [grant, now + 1_000_000, 1]
            answers[replica] = answers[replica][10:]
            head = [replica, 500, 1_100_000, 100_000, 500_000, 1_000_000, 1, 10.0, 0, args.tenants, 400, 1_100_000,
                    30_000_000, 0, 0]
            demand_args = [" ".join(str(x) for x in demands)] if args.layout == "record" else demands
            reply = redis.call("EVALSHA", sha, len(keys), *keys, *head, *demand_args, 0, len(departures) // 3,
                               *departures)
            for i in range(6, len(reply) - 2, 3):
                answers[replica].append(reply[i + 2])

        period = 1 / args.calls
        calls = 0
        start = time.time()
        ticks = cpu_ticks(server.pid)
        while time.time() - start < args.seconds:
            call(replicas[calls % len(replicas)])
            calls += 1
            delay = start + calls * period - time.time()
            if delay > 0:
                time.sleep(delay)
        elapsed = time.time() - start
        used = (cpu_ticks(server.pid) - ticks) / os.sysconf("SC_CLK_TCK")
        stats = redis.call("INFO", "commandstats").decode()
        line = next(l for l in stats.split("\r\n") if l.startswith("cmdstat_evalsha"))
        per_call = dict(kv.split("=") for kv in line.split(":", 1)[1].split(","))["usec_per_call"]
        print("%s (%s, %d tenants, %d replicas): %d calls in %.1f s; Redis %.3f cores, %.0f us of its CPU a call; "
              "the script %s us a call (commandstats)" % (os.path.basename(args.script), args.layout, args.tenants,
                                                          args.replicas, calls, elapsed, used / elapsed,
                                                          used * 1e6 / calls, per_call))
    finally:
        server.kill()


if __name__ == "__main__":
    main()
