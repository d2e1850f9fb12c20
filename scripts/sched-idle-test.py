#!/usr/bin/env python3
"""Checks scripts/sched-idle.py's split on a hand-made two-core trace whose answer is known."""

import importlib.util
import pathlib
import unittest

SPEC = importlib.util.spec_from_file_location(
    "sched_idle", pathlib.Path(__file__).with_name("sched-idle.py")
)
sched_idle = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(sched_idle)


def switch(core, t, prev, prev_pid, state, nxt, next_pid):
    return (
        f"[{core:03d}] {t:.6f}: sched:sched_switch: prev_comm={prev} prev_pid={prev_pid} "
        f"prev_prio=120 prev_state={state} ==> next_comm={nxt} next_pid={next_pid} next_prio=120"
    )


def waking(core, t, comm, pid, target):
    return f"[{core:03d}] {t:.6f}: sched:sched_waking: comm={comm} pid={pid} prio=120 target_cpu={target:03d}"


# Core 1 idles from 1.000 to 1.045: nothing runnable for 10 ms; then 20 ms with a thread waiting
# in core 0's queue (`load-7`, woken there behind the writer, then the writer it preempted);
# nothing again for 10 ms; then 5 ms while `worker-3` is woken onto it. Core 0 idles from 1.050, core 1 again from 1.060, both
# with nothing runnable, until 1.070.
TRACE = [
    switch(0, 1.000, "swapper/0", 0, "R", "writer", 10),
    switch(1, 1.000, "worker-3", 11, "S", "swapper/1", 0),
    waking(0, 1.010, "load-7", 12, 0),
    switch(0, 1.020, "writer", 10, "R+", "load-7", 12),
    switch(0, 1.030, "load-7", 12, "S", "writer", 10),
    waking(0, 1.040, "worker-3", 11, 1),
    switch(1, 1.045, "swapper/1", 0, "R", "worker-3", 11),
    switch(0, 1.050, "writer", 10, "S", "swapper/0", 0),
    switch(1, 1.060, "worker-3", 11, "S", "swapper/1", 0),
    switch(0, 1.070, "swapper/0", 0, "R", "writer", 10),
]


class Split(unittest.TestCase):
    def test_idle_time_goes_under_the_right_heads(self):
        heads, waiting, latencies, span, cores = sched_idle.split(TRACE)
        ms = {k: round(v * 1000, 3) for k, v in heads.items()}
        self.assertEqual(ms, {"nothing to run": 50.0, "queued elsewhere": 20.0, "waking this core": 5.0})
        self.assertEqual({k: round(v * 1000, 3) for k, v in waiting.items()}, {"load": 10.0, "writer": 10.0})
        self.assertEqual([round(x * 1000, 3) for x in latencies], [5.0])
        self.assertEqual((round(span * 1000, 3), cores), (70.0, 2))

    def test_a_trace_without_switches_is_empty(self):
        heads, _, _, span, cores = sched_idle.split(["not a trace line"])
        self.assertEqual((sum(heads.values()), span, cores), (0, 0.0, 0))


if __name__ == "__main__":
    unittest.main()
