"""Time one of medlog's computations inside one process: the median of repeated runs, in ms, on stdout.

    python benchmarks/in_process.py trends JOURNAL [WEEKS] [RUNS]

Run as its own process by run.py so imports and the first (cold) call are outside the timing.
"""

from __future__ import annotations

import os
import statistics
import sys
import time


def main() -> None:
    what, path = sys.argv[1], sys.argv[2]
    weeks = int(sys.argv[3]) if len(sys.argv) > 3 else 12
    runs = int(sys.argv[4]) if len(sys.argv) > 4 else 15
    os.environ["MEDLOG_DB"] = path
    from medlog.services import trends
    from medlog.services.context import open_journal

    if what != "trends":
        raise SystemExit(f"unknown computation {what!r}")
    journal = open_journal(None)
    trends.weekly(journal, weeks)  # warm: imports, page cache
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        trends.weekly(journal, weeks)
        times.append((time.perf_counter() - start) * 1000)
    print(f"{statistics.median(times):.1f}")


if __name__ == "__main__":
    main()
