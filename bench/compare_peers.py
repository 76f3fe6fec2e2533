#!/usr/bin/python3
"""wfsim against the NumPy and Numba peers of its baseline, end to end.

Times whole processes on the same machine in the same session, alternating
the programs within each repeat so that a change in the machine's load hits
them all alike:

- `wfsim run SCENARIO -n N --threads T -q --skip-chance-only -o RUN.h5`: the
  whole process with the run file written; its person-months are read back
  from the run file (permanent_qsw + trainees + agency over replications and
  months, every scenario in the file);
- `peer_vec.py N` and `peer_loop.py N/10` (single-threaded NumPy; the loop
  peer is slow, so it runs a tenth of the replications);
- `peer_numba.py N --threads T --cache`, with its compiled code cached in a
  temporary directory by an untimed warm-up run first.

Each peer prints its person-months and its simulation seconds; the table
shows its simulation-only rate and its whole-process rate (Python start-up,
imports and, for Numba, loading the cached code included).

  bench/compare_peers.py [--replications 2000] [--repeats 3] [--threads 1,2]
                         [--peers-to-run vec,loop,numba] [--scenario FILE]
                         [--wfsim PATH] [--peers DIR] [--with-chance-only-pass]

Needs Debian's python3 with python3-h5py, python3-numpy and python3-numba.
Run it on an otherwise idle machine: the figures are wall-clock rates.
"""
import argparse
import os
import pathlib
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

REPO_ROOT = pathlib.Path(__file__).resolve().parent.parent
HEADCOUNT_SERIES = ("permanent_qsw", "trainees", "agency")  # a person-month is one of these in post for a month
IDLE_LOAD_AVERAGE = 0.3
ALL_PEERS = ("vec", "loop", "numba")
PEERS_WITH_THREADS = {"numba"}
LOOP_REPLICATION_DIVISOR = 10
progress_line_open = False  # so that an error message starts on a line of its own


class BenchmarkError(Exception):
    """A program is missing, failed or printed something unreadable."""


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--wfsim", type=pathlib.Path, default=REPO_ROOT / "build/release/wfsim")
    parser.add_argument("--peers", type=pathlib.Path, default=REPO_ROOT.parent / "shared/peers/numpy",
                        help="directory holding peer_vec.py, peer_loop.py and peer_numba.py")
    parser.add_argument("--replications", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", default="1,2", help="comma-separated thread counts")
    parser.add_argument("--peers-to-run", default=",".join(ALL_PEERS))
    parser.add_argument("--scenario", type=pathlib.Path,
                        default=REPO_ROOT / "scenarios/lancashire-2015/baseline.yaml")
    parser.add_argument("--python", default=sys.executable,
                        help="interpreter for the peers (needs NumPy and Numba)")
    parser.add_argument("--with-chance-only-pass", action="store_true",
                        help="let wfsim run its second, chance-only pass when the scenario draws "
                             "assumptions; that pass is timed but its person-months are not in the "
                             "run file, so wfsim's rate is then understated")
    arguments = parser.parse_args()
    try:
        arguments.thread_counts = sorted({int(t) for t in arguments.threads.split(",") if t.strip()})
    except ValueError:
        parser.error(f"--threads {arguments.threads!r}: expected comma-separated integers")
    arguments.peer_names = [p.strip() for p in arguments.peers_to_run.split(",") if p.strip()]
    unknown = [p for p in arguments.peer_names if p not in ALL_PEERS]
    if unknown:
        parser.error(f"--peers-to-run: unknown peer {', '.join(unknown)} (known: {', '.join(ALL_PEERS)})")
    if arguments.replications < 1 or arguments.repeats < 1 or not arguments.thread_counts \
            or min(arguments.thread_counts) < 1:
        parser.error("--replications, --repeats and every thread count must be at least 1")
    arguments.loop_replications = max(1, arguments.replications // LOOP_REPLICATION_DIVISOR)
    return arguments


def check_inputs(arguments):
    if not (arguments.wfsim.is_file() and os.access(arguments.wfsim, os.X_OK)):
        raise BenchmarkError(f"wfsim not found or not executable at {arguments.wfsim} (build it, or pass --wfsim)")
    if not arguments.scenario.is_file():
        raise BenchmarkError(f"scenario not found: {arguments.scenario}")
    for name in arguments.peer_names:
        if not peer_script(arguments, name).is_file():
            raise BenchmarkError(f"peer {name}: {peer_script(arguments, name)} not found (pass --peers DIR)")
    if shutil.which(arguments.python) is None and not pathlib.Path(arguments.python).is_file():
        raise BenchmarkError(f"Python interpreter for the peers not found: {arguments.python}")


def peer_script(arguments, name):
    return arguments.peers / f"peer_{name}.py"


def timed_run(command, environment, program_name):
    """Runs command to completion; returns (stdout, wall seconds, CPU seconds of all its threads)."""
    usage_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    try:
        finished = subprocess.run(command, env=environment, capture_output=True, text=True)
    except OSError as error:
        raise BenchmarkError(f"{program_name}: cannot start {command[0]}: {error}") from error
    wall_seconds = time.perf_counter() - start
    usage_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_seconds = (usage_after.ru_utime - usage_before.ru_utime) + (usage_after.ru_stime - usage_before.ru_stime)
    if finished.returncode != 0:
        output_tail = "\n".join((finished.stdout + finished.stderr).strip().splitlines()[-15:])
        raise BenchmarkError(f"{program_name} failed (exit status {finished.returncode}):\n"
                             f"  {' '.join(map(str, command))}\n{output_tail}")
    return finished.stdout, wall_seconds, cpu_seconds


def count_person_months(run_file):
    """Sum of the headcount series over replications and months of every scenario in the run file."""
    import h5py  # imported here so that a missing h5py is reported as such, with the fix

    total = 0.0
    replications_by_scenario = {}
    with h5py.File(run_file, "r") as run:
        if run.attrs.get("complete") != 1:
            raise BenchmarkError(f"wfsim: run file {run_file} is not marked complete")
        for scenario_name in run.attrs["scenario_names"]:
            series = run["scenarios"][scenario_name]["series"]
            for metric in HEADCOUNT_SERIES:
                if metric not in series:
                    raise BenchmarkError(f"wfsim: run file has no /scenarios/{scenario_name}/series/{metric}")
                table = series[metric][:]  # [replication, month]
                total += float(table.sum())
                replications_by_scenario[scenario_name] = table.shape
    return total, replications_by_scenario


def run_wfsim(arguments, wfsim, threads, work_directory):
    run_file = work_directory / "run.h5"
    command = [str(wfsim), "run", str(arguments.scenario), "-n", str(arguments.replications),
               "--threads", str(threads), "-q", "-o", str(run_file)]
    if not arguments.with_chance_only_pass:
        # A scenario with drawn assumptions otherwise simulates every replication a second
        # time at the assumptions' means, and that pass's person-months are not in the file.
        command.append("--skip-chance-only")
    _, wall_seconds, cpu_seconds = timed_run(command, os.environ.copy(), "wfsim")
    if not run_file.is_file():
        raise BenchmarkError(f"wfsim exited 0 but wrote no run file at {run_file}")
    try:
        person_months, shapes = count_person_months(run_file)
    finally:
        run_file.unlink(missing_ok=True)
    months = next(iter(shapes.values()))[1]
    return {"person_months": person_months, "whole_s": wall_seconds, "cpu_s": cpu_seconds,
            "people_a_month": person_months / (arguments.replications * months * len(shapes)),
            "scenarios": len(shapes)}


PEER_LINE = re.compile(r"^peer_(\w+) .*$", re.MULTILINE)
KEY_VALUE = re.compile(r"(\w+)=(\S+)")


def parse_peer_output(name, text, required_keys):
    lines = [m.group(0) for m in PEER_LINE.finditer(text) if m.group(1) == name]
    if not lines:
        raise BenchmarkError(f"peer {name}: no line starting 'peer_{name} ' in its output:\n{text.strip()[-2000:]}")
    fields = dict(KEY_VALUE.findall(lines[-1]))
    values = {}
    for key in required_keys:
        try:
            values[key] = float(fields[key])
        except (KeyError, ValueError):
            raise BenchmarkError(f"peer {name}: cannot read {key}= from its output line:\n{lines[-1]}") from None
    if "per_month" in fields:  # people in post a month, averaged: shown beside wfsim's for the same model
        try:
            values["per_month"] = float(fields["per_month"])
        except ValueError:
            pass
    if values["sim_s"] <= 0 or values["person_months"] <= 0:
        raise BenchmarkError(f"peer {name}: implausible figures in its output line:\n{lines[-1]}")
    return values


def peer_environment(arguments, numba_cache_directory):
    environment = os.environ.copy()
    # NumPy's element-wise work is single-threaded; keep any BLAS from borrowing a core.
    for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        environment[variable] = "1"
    environment["NUMBA_CACHE_DIR"] = str(numba_cache_directory)
    environment["NUMBA_NUM_THREADS"] = str(max(max(arguments.thread_counts), os.cpu_count() or 1))
    environment["PYTHONDONTWRITEBYTECODE"] = "1"  # leave the peers' directory as it was
    return environment


def run_peer(arguments, name, replications, threads, environment):
    command = [arguments.python, str(peer_script(arguments, name)), str(replications)]
    required_keys = ["person_months", "sim_s"]
    if name == "numba":
        command += ["--threads", str(threads), "--cache"]
        required_keys.append("compile_s")
    output, wall_seconds, cpu_seconds = timed_run(command, environment, f"peer {name}")
    figures = parse_peer_output(name, output, required_keys)
    return {"person_months": figures["person_months"], "sim_s": figures["sim_s"],
            "compile_s": figures.get("compile_s"), "whole_s": wall_seconds, "cpu_s": cpu_seconds,
            "people_a_month": figures.get("per_month")}


def format_rate(rates):
    millions = [r / 1e6 for r in rates]
    text = f"{statistics.median(millions):6.2f}"
    if len(millions) > 1:
        text += f" ({min(millions):.2f}-{max(millions):.2f})"
    return text


def main():
    global progress_line_open
    arguments = parse_arguments()
    check_inputs(arguments)
    try:
        import h5py  # noqa: F401  checked before anything is timed
    except ImportError:
        raise BenchmarkError(f"{sys.executable} has no h5py: install Debian's python3-h5py and run "
                             "this script with /usr/bin/python3") from None

    load_before = os.getloadavg()
    print(f"load average before starting: {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f} "
          f"({os.cpu_count()} cores)")
    if load_before[0] > IDLE_LOAD_AVERAGE:
        print(f"warning: 1-minute load average {load_before[0]:.2f} > {IDLE_LOAD_AVERAGE}: the machine is busy, "
              "so the rates below are lower than on an idle machine and the two-thread figures unreliable")
    print(f"wfsim {arguments.wfsim}, scenario {arguments.scenario}, {arguments.replications} replications, "
          f"{arguments.repeats} repeats, threads {','.join(map(str, arguments.thread_counts))}")
    if "loop" in arguments.peer_names:
        print(f"peer_loop is slow: it runs {arguments.loop_replications} replications "
              f"(1/{LOOP_REPLICATION_DIVISOR} of the others); rates are per second, so they still compare")
    if arguments.with_chance_only_pass:
        print("wfsim runs its chance-only pass too: timed, but its person-months are not counted")

    # (program, threads, measure) -> list of per-repeat results
    results = {}

    def record(program, threads, measure, rate, people_a_month, cores_used, replications):
        entry = results.setdefault((program, threads, measure),
                                   {"rates": [], "people": [], "cores": [], "replications": replications})
        entry["rates"].append(rate)
        entry["people"].append(people_a_month)
        entry["cores"].append(cores_used)

    with tempfile.TemporaryDirectory(prefix="wfsim-compare-peers-") as temporary:
        work_directory = pathlib.Path(temporary)
        numba_cache_directory = work_directory / "numba-cache"
        numba_cache_directory.mkdir()
        environment = peer_environment(arguments, numba_cache_directory)
        # Every repeat runs the same binary even if the build directory is rebuilt meanwhile.
        wfsim_copy = work_directory / "wfsim"
        shutil.copy2(arguments.wfsim, wfsim_copy)
        print(f"wfsim copied from {arguments.wfsim} (modified {time.ctime(arguments.wfsim.stat().st_mtime)})")

        cold_compile_s = None
        if "numba" in arguments.peer_names:
            # Untimed: compiles the peer once into the cache, as a modeller's second run would find it.
            print("peer_numba: compiling into a temporary cache (untimed) ...", flush=True)
            warm_up = run_peer(arguments, "numba", 1, min(arguments.thread_counts), environment)
            cold_compile_s = warm_up["compile_s"]

        single_threaded_peers = [p for p in arguments.peer_names if p not in PEERS_WITH_THREADS]
        threaded_peers = [p for p in arguments.peer_names if p in PEERS_WITH_THREADS]
        for repeat in range(1, arguments.repeats + 1):
            for threads in arguments.thread_counts:
                print(f"repeat {repeat}/{arguments.repeats}, {threads} thread(s): wfsim", end="", flush=True)
                progress_line_open = True
                w = run_wfsim(arguments, wfsim_copy, threads, work_directory)
                record("wfsim", threads, "whole process", w["person_months"] / w["whole_s"],
                       w["people_a_month"], w["cpu_s"] / w["whole_s"], arguments.replications)
                peers_now = threaded_peers + (single_threaded_peers if threads == arguments.thread_counts[0] else [])
                for name in peers_now:
                    print(f", {name}", end="", flush=True)
                    replications = arguments.loop_replications if name == "loop" else arguments.replications
                    peer_threads = threads if name in PEERS_WITH_THREADS else 1
                    p = run_peer(arguments, name, replications, peer_threads, environment)
                    record(f"peer_{name}", peer_threads, "simulation", p["person_months"] / p["sim_s"],
                           p["people_a_month"], None, replications)
                    record(f"peer_{name}", peer_threads, "whole process", p["person_months"] / p["whole_s"],
                           p["people_a_month"], p["cpu_s"] / p["whole_s"], replications)
                print(flush=True)
                progress_line_open = False

    print()
    print("Million person-months per second: median (min-max) over the repeats. wfsim / program is the")
    print("median of wfsim's whole process at the same thread count over the program's median;")
    print("cores used: the process's CPU time over its wall time.")
    header = f"{'program':<12} {'thr':>3} {'reps':>5} {'measure':<14} {'people/month':>12} " \
             f"{'M pm/s':<20} {'cores used':>10} {'wfsim / program':>15}"
    print(header)
    print("-" * len(header))
    for (program, threads, measure), entry in sorted(
            results.items(), key=lambda item: (item[0][1], item[0][0] != "wfsim", item[0][0], item[0][2])):
        wfsim_entry = results.get(("wfsim", threads, "whole process"))
        ratio = ""
        if program != "wfsim" and wfsim_entry:
            ratio = f"{statistics.median(wfsim_entry['rates']) / statistics.median(entry['rates']):.2f}"
        # Below the thread count even when idle: a whole process has serial parts (start-up, imports, run file).
        cores = [c for c in entry["cores"] if c is not None]
        cores_text = f"{statistics.median(cores):.2f}" if cores else "-"
        people = [p for p in entry["people"] if p is not None]
        people_text = f"{statistics.median(people):.1f}" if people else "-"
        print(f"{program:<12} {threads:>3} {entry['replications']:>5} {measure:<14} "
              f"{people_text:>12} {format_rate(entry['rates']):<20} "
              f"{cores_text:>10} {ratio:>15}")
    print()
    if cold_compile_s is not None:
        print(f"peer_numba: cold compile {cold_compile_s:.1f} s in the warm-up, not timed above; its whole-process "
              "rate loads the cached code")
    if single_threaded_peers:
        print(f"{', '.join('peer_' + p for p in single_threaded_peers)}: single-threaded NumPy, run once per repeat")
    lowest = arguments.thread_counts[0]
    for threads in arguments.thread_counts[1:]:
        for program in ["wfsim"] + [f"peer_{p}" for p in threaded_peers]:
            measure = "whole process" if program == "wfsim" else "simulation"
            base, more = results.get((program, lowest, measure)), results.get((program, threads, measure))
            if base and more:
                print(f"{program} ({measure}) speed-up {threads} / {lowest} thread(s): "
                      f"{statistics.median(more['rates']) / statistics.median(base['rates']):.2f} x")
    if load_before[0] > IDLE_LOAD_AVERAGE:
        print(f"warning: load average {load_before[0]:.2f} before starting: the machine was busy, rerun when idle")


if __name__ == "__main__":
    try:
        main()
    except BenchmarkError as error:
        if progress_line_open:
            print(flush=True)
        sys.exit(f"compare_peers: {error}")
    except KeyboardInterrupt:
        sys.exit("compare_peers: interrupted")
