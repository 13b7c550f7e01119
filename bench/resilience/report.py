#!/usr/bin/env python3
"""Print the tables of bench/resilience/run.sh from its raw JSON lines.

usage: report.py RAW_JSONL WORKERS WORK_US
"""

import json
import os
import subprocess
import sys
import time

# The targets of the benchmark. A decision takes at most 100 ns and no
# allocation. At three times capacity with shedding, goodput is at least
# 80 % of capacity and the p99 at most 3 times the unloaded p99.
DECISION_NS = 100
GOODPUT_SHARE = 0.8
P99_FACTOR = 3


def cpu_model():
    with open("/proc/cpuinfo") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return "unknown"


def commit():
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], check=True,
                              stdout=subprocess.PIPE, text=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def verdict(ok):
    return "met" if ok else "MISSED"


def decision_lines(rows):
    runs = sorted({row["run"] for row in rows})
    names = []
    for row in rows:
        for case in row["result"]:
            if case["name"] not in names:
                names.append(case["name"])
    header = "%-50s" % "decision" + "".join(
        " %9s" % ("run %d, %dT" % (run, threads)) for threads in (1, 2) for run in runs) + " %11s" % "allocations"
    lines = [header]
    for name in names:
        cells = []
        allocations = 0.0
        for threads in (1, 2):
            for run in runs:
                row = next(row for row in rows if row["run"] == run)
                case = next((case for case in row["result"]
                             if case["name"] == name and case["threads"] == threads), None)
                cells.append(" %9s" % ("-" if case is None else "%.1f" % case["ns_per_decision"]))
                if case is not None:
                    allocations = max(allocations, case["allocations_per_decision"])
        lines.append("%-50s" % name + "".join(cells) + " %11.3f" % allocations)
    lines.append("ns per decision (wall time per thread), by run and thread count; allocations: the "
                 "most malloc calls per decision in any run.")
    return lines


def overload_lines(rows):
    by_run = {}
    for row in rows:
        by_run.setdefault(row["run"], {})[row["part"]] = row
    lines = ["%-4s %9s %11s  %-11s %8s %9s %9s %8s %9s %7s" % (
        "run", "capacity", "unloaded", "3x load", "goodput", "p99", "p99 all", "p99 x", "shed", "load")]
    for run in sorted(by_run):
        parts = by_run[run]
        capacity = parts["capacity"]["result"]["ok_per_s"]
        unloaded = parts["unloaded"]["result"]
        for part in ("shedding", "no_shedding"):
            result = parts[part]["result"]
            lines.append("%-4s %7d/s %8.2f ms  %-11s %7.0f%% %6.1f ms %6.1f ms %7.1fx %8.0f%% %7s" % (
                run, capacity, unloaded["p99_ms"], part.replace("_", " "),
                100 * result["goodput_per_s"] / capacity, result["p99_ms"], result["all_p99_ms"],
                result["p99_ms"] / max(unloaded["p99_ms"], 1e-9), 100 * result["shed_503"] / max(1, result["sent"]),
                parts[part]["load_before"].split()[0]))
        stats = parts.get("shedder_stats")
        if stats:
            lines.append("     shedder: %d admitted, %d shed; unloaded run: %d shed of %d sent" % (
                stats["result"]["admitted"], stats["result"]["rejected"], unloaded["shed_503"], unloaded["sent"]))
    lines.append("goodput: 200s within 2 s per second, in % of capacity; p99: of successes after the warm-up; "
                 "p99 all: of the whole run; p99 x: p99 / unloaded p99; shed: 503s in % of requests sent; "
                 "load: the 1-minute load average before the step.")
    return lines


def target_lines(decisions, overload):
    lines = []
    for row in decisions:
        allocating = [case for case in row["result"] if case["allocations_per_decision"] > 0]
        # One thread measures a decision's own cost, the target. Two threads
        # on one policy add the transfer of its shared cache lines, shown
        # apart because it depends on the machine and on how often both
        # CPUs decide at once.
        for threads, label in ((1, "on one thread"), (2, "on two threads sharing one policy")):
            slow = [case for case in row["result"] if case["threads"] == threads
                    and not case["name"].startswith("baseline") and case["ns_per_decision"] > DECISION_NS]
            lines.append("  run %d: every decision <= %d ns %s: %s%s" % (
                row["run"], DECISION_NS, label, verdict(not slow),
                "" if not slow else " (" + ", ".join("%s %.0f ns" % (case["name"], case["ns_per_decision"])
                                                     for case in slow) + ")"))
        lines.append("  run %d: 0 allocations per decision: %s" % (row["run"], verdict(not allocating)))
    by_run = {}
    for row in overload:
        by_run.setdefault(row["run"], {})[row["part"]] = row["result"]
    for run, parts in sorted(by_run.items()):
        capacity = parts["capacity"]["ok_per_s"]
        shed = parts["shedding"]
        lines.append("  run %d: with shedding, goodput >= %d %% of capacity: %.0f %%, %s" % (
            run, GOODPUT_SHARE * 100, 100 * shed["goodput_per_s"] / capacity,
            verdict(shed["goodput_per_s"] >= GOODPUT_SHARE * capacity)))
        limit = P99_FACTOR * parts["unloaded"]["p99_ms"]
        # A run without successes has no p99 and cannot meet the target.
        lines.append("  run %d: with shedding, p99 <= %d x unloaded p99 = %.1f ms: %.1f ms after the warm-up, %s; "
                     "%.1f ms over the whole run, %s" % (
                         run, P99_FACTOR, limit, shed["p99_ms"], verdict(shed["ok"] > 0 and shed["p99_ms"] <= limit),
                         shed["all_p99_ms"], verdict(shed["all_ok"] > 0 and shed["all_p99_ms"] <= limit)))
    return lines


def main():
    raw, workers, work_us = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    with open(raw) as lines:
        rows = [json.loads(line) for line in lines if line.strip()]
    decisions = [row for row in rows if row["part"] == "decisions"]
    overload = [row for row in rows if row["part"] != "decisions"]
    out = ["bench/resilience: %s, %d CPUs (nproc), %s, Linux %s, commit %s" % (
        time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), os.cpu_count(), cpu_model(), os.uname().release, commit())]
    if decisions:
        out += [""] + decision_lines(decisions)
    if overload:
        out += ["", "overload: %d worker threads, %d us of CPU per request, server and load generator "
                "on one CPU each" % (workers, work_us)] + overload_lines(overload)
    out += ["", "targets:"] + target_lines(decisions, overload)
    print("\n".join(out))


if __name__ == "__main__":
    main()
