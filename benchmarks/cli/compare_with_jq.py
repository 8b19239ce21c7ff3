#!/usr/bin/env python3
"""Times `jq '.items | length'` and `svcdisc get endpointslices -A -o json` side by side on the
same cluster dump (the CLI README's "Speed" section: svcdisc aims at a fifth of jq's time or less).

Usage: compare_with_jq.py SVCDISC_BINARY [--dump FILE] [--order kubectl|api] [--runs N]

Without --dump, generate_dump.py (next to this script) writes the 150,000-pod / 10,000-service
dump to a temporary file first, in kubectl's key order or (--order api) the API server's. Each
tool runs N times (default 3), alternating; the median and the best wall time of each are
printed, and the CPU time (user + system) of each run, which moves less than the wall time when
others load the machine. svcdisc's hidden --timings flag splits its time into reading, deriving
and writing (printed to stderr).
"""
import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time


def timed(command, stdout):
    """Wall seconds, CPU seconds (user + system) and stderr of one run of `command`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(command, stdout=stdout, stderr=subprocess.PIPE, text=True, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, cpu, result.stderr


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("svcdisc")
    parser.add_argument("--dump")
    parser.add_argument("--order", choices=("kubectl", "api"), default="kubectl")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    dump = args.dump
    temporary = None
    if dump is None:
        temporary = tempfile.NamedTemporaryFile(suffix=".json", delete=False)
        temporary.close()
        dump = temporary.name
        generator = os.path.join(os.path.dirname(os.path.abspath(__file__)), "generate_dump.py")
        print(f"generating {dump} ...", flush=True)
        subprocess.run([sys.executable, generator, dump, "--order", args.order], check=True)
    try:
        size_mb = os.path.getsize(dump) / 1e6
        jq_times, svcdisc_times, jq_cpu, svcdisc_cpu, phases = [], [], [], [], []
        with open(os.devnull, "w") as devnull:
            for _ in range(args.runs):
                seconds, cpu, _ = timed(["jq", ".items | length", dump], devnull)
                jq_times.append(seconds)
                jq_cpu.append(cpu)
                seconds, cpu, err = timed([args.svcdisc, "get", "endpointslices", "-A", "-o",
                                           "json", "-f", dump, "--timings"], devnull)
                svcdisc_times.append(seconds)
                svcdisc_cpu.append(cpu)
                match = re.search(r"read ([0-9.]+)s, derive ([0-9.]+)s, write ([0-9.]+)s", err)
                if match:
                    phases.append(tuple(float(x) for x in match.groups()))
        jq_best, svcdisc_best = min(jq_times), min(svcdisc_times)
        print(f"dump: {dump} ({size_mb:.0f} MB)")
        print(f"jq '.items | length':                   best {jq_best:.2f} s "
              f"(runs: {', '.join(f'{t:.2f}' for t in jq_times)})")
        print(f"svcdisc get endpointslices -A -o json:  best {svcdisc_best:.2f} s "
              f"(runs: {', '.join(f'{t:.2f}' for t in svcdisc_times)})")
        if phases:
            read, derive, write = phases[svcdisc_times.index(svcdisc_best)]
            print(f"  svcdisc phases of the best run: read {read:.3f} s, derive {derive:.3f} s, "
                  f"write {write:.3f} s")
        ratio = svcdisc_best / jq_best
        print(f"ratio svcdisc / jq, best wall: {ratio:.3f} (target <= 0.100: "
              f"{'met' if ratio <= 0.1 else 'NOT met'})")
        median = statistics.median
        print(f"medians: jq wall {median(jq_times):.2f} s, CPU {median(jq_cpu):.2f} s; svcdisc "
              f"wall {median(svcdisc_times):.2f} s, CPU {median(svcdisc_cpu):.2f} s; ratios "
              f"wall {median(svcdisc_times) / median(jq_times):.3f}, "
              f"CPU {median(svcdisc_cpu) / median(jq_cpu):.3f}")
    finally:
        if temporary is not None:
            os.unlink(dump)


if __name__ == "__main__":
    main()
