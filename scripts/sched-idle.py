#!/usr/bin/env python3
"""Why a core sat idle: splits the idle time of a `perf sched record` by what else was runnable.

Reads `perf script -F cpu,time,event,trace` of the sched_switch, sched_waking and
sched_migrate_task events on stdin (scripts/sched-idle.sh records them) and prints, in CPU-ms,
each stretch of a core's idle time under one of three heads:

  queued elsewhere   a thread was runnable but waiting in another core's run queue: the
                     scheduler left this core idle beside work it could have taken
  waking this core   a thread was woken onto this idle core and had not started yet: the idle
                     core's wake-up latency (on a VM, an interrupt to a halted vCPU)
  nothing to run     no thread of the machine was runnable: all were waiting on I/O or
                     each other

It also names the threads found queued elsewhere, and the latency from a wake-up aimed at an
idle core to the thread running there.
"""

import collections
import re
import sys

SWITCH = re.compile(
    r"\[(\d+)\]\s+([\d.]+):\s+sched:sched_switch: prev_comm=(.*?) prev_pid=(\d+) "
    r"prev_prio=-?\d+ prev_state=(\S+) ==> next_comm=(.*?) next_pid=(\d+)"
)
WAKING = re.compile(
    r"\[(\d+)\]\s+([\d.]+):\s+sched:sched_waking: comm=(.*?) pid=(\d+) prio=-?\d+ "
    r"target_cpu=(\d+)"
)
MIGRATE = re.compile(
    r"\[(\d+)\]\s+([\d.]+):\s+sched:sched_migrate_task: comm=(.*?) pid=(\d+) prio=-?\d+ "
    r"orig_cpu=(\d+) dest_cpu=(\d+)"
)


def family(comm):
    """A thread's name without its number (`tokio-rt-worker`, `load`, `kworker/1:1H`)."""
    return re.sub(r"[-/:\d]+$", "", comm) or comm


def split(lines):
    """Walks the trace's lines; returns (heads, waiting, latencies, span, cores): the idle seconds
    under each head, the idle seconds each thread family was queued elsewhere, the seconds from
    each wake-up aimed at an idle core to its thread running, the trace's length in seconds and
    the number of cores seen."""
    names = {}
    queued = {}  # pid -> the core whose run queue holds it (runnable, not running)
    idle_since = {}  # core -> when it went idle (None: running something)
    woken_at = {}  # pid -> (time, core) of a wake-up aimed at an idle core
    heads = collections.Counter()
    waiting = collections.Counter()
    latencies = []
    first = last = None

    def account(t):
        for core, since in idle_since.items():
            if since is None:
                continue
            d = t - since
            here = [p for p, c in queued.items() if c == core]
            elsewhere = [p for p, c in queued.items() if c != core]
            if here:
                heads["waking this core"] += d
            elif elsewhere:
                heads["queued elsewhere"] += d
                for f in {family(names.get(p, p)) for p in elsewhere}:
                    waiting[f] += d
            else:
                heads["nothing to run"] += d
            idle_since[core] = t

    for line in lines:
        m = SWITCH.search(line)
        if m:
            core, t, prev, prev_pid, state, nxt, next_pid = m.groups()
            core, t = int(core), float(t)
            first = t if first is None else first
            last = t
            account(t)
            names[prev_pid], names[next_pid] = prev, nxt
            if state.startswith("R") and prev_pid != "0":
                queued[prev_pid] = core
            else:
                queued.pop(prev_pid, None)
            queued.pop(next_pid, None)
            if next_pid in woken_at:
                t0, aimed = woken_at.pop(next_pid)
                if aimed == core:
                    latencies.append(t - t0)
            idle_since[core] = t if next_pid == "0" else None
            continue
        m = WAKING.search(line)
        if m:
            _, t, comm, pid, target = m.groups()
            t, target = float(t), int(target)
            account(t)
            names[pid] = comm
            queued[pid] = target
            if idle_since.get(target) is not None:
                woken_at[pid] = (t, target)
            continue
        m = MIGRATE.search(line)
        if m and m.group(4) in queued:
            queued[m.group(4)] = int(m.group(6))
    span = 0.0 if first is None else last - first
    return heads, waiting, latencies, span, len(idle_since)


def main():
    heads, waiting, latencies, span, cores = split(sys.stdin)
    if cores == 0:
        sys.exit("sched-idle: no sched_switch events on stdin")
    span *= 1000
    idle = sum(heads.values()) * 1000
    share = 100 * idle / (span * cores) if span > 0 else 0.0
    print(f"{span:.0f} ms on {cores} cores: idle {idle:.1f} CPU-ms ({share:.1f}% of the machine)")
    for head in ("queued elsewhere", "waking this core", "nothing to run"):
        ms = heads[head] * 1000
        print(f"  {head:<17} {ms:7.1f} CPU-ms  {100 * ms / idle if idle else 0:5.1f}% of the idle time")
    if waiting:
        named = ", ".join(f"{f} {v * 1000:.1f}" for f, v in waiting.most_common(5))
        print(f"  queued elsewhere meanwhile (CPU-ms, a thread family counted once a stretch): {named}")
    if latencies:
        latencies.sort()
        n = len(latencies)
        print(
            f"  wake-up of an idle core to running: {n} times, p50 {latencies[n // 2] * 1e6:.0f} µs, "
            f"p90 {latencies[9 * n // 10] * 1e6:.0f} µs, mean {sum(latencies) / n * 1e6:.0f} µs"
        )


if __name__ == "__main__":
    main()
