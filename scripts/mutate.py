#!/usr/bin/env python3
"""Mutation score of the fast suite.

Applies each mutation of tests/mutations.tsv to the source in turn, rebuilds
the release build, runs the fast suite (`ctest -L unit`, or the ctest
arguments of the line's fifth column) and restores the file; prints whether
each mutant was killed (a test failed, or the build did) or survived. Exits 1 if any mutant survives, 2 on a bad mutation list.

  python3 scripts/mutate.py [--build build/release] [--only SUBSTRING] [--bounded]

Needs a configured release build (`cmake --preset release`). The source is
restored after every mutant, also on Ctrl-C.
"""
import argparse
import pathlib
import signal
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent


FAST_SUITE = ["-L", "unit"]


def read_mutations(path):
    mutations = []
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) not in (4, 5):
            sys.exit(f"{path}:{number}: expected 4 or 5 tab-separated fields, got {len(fields)}")
        file, original, mutant, what = fields[:4]
        tests = fields[4].split() if len(fields) == 5 else FAST_SUITE
        source = ROOT / file
        if not source.is_file():
            sys.exit(f"{path}:{number}: no file {file}")
        count = source.read_text().count(original)
        if count != 1:
            sys.exit(f"{path}:{number}: the text is in {file} {count} times, not once")
        mutations.append((file, original, mutant, what, tests))
    return mutations


def run(command, log):
    return subprocess.run(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT).returncode


def stop(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


def main():
    # A terminated run still restores the source (the `finally` below).
    signal.signal(signal.SIGTERM, stop)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default="build/release")
    parser.add_argument("--list", default="tests/mutations.tsv")
    parser.add_argument("--only", default="", help="run the mutations whose description contains this")
    parser.add_argument("--bounded", action="store_true",
                        help="CI's bounded list: leave out mutants of headers (each recompiles most of the "
                             "engine) and those that need a slower suite than the fast one")
    arguments = parser.parse_args()
    mutations = [m for m in read_mutations(ROOT / arguments.list) if arguments.only in m[3]]
    if arguments.bounded:
        mutations = [m for m in mutations if not m[0].endswith(".hpp") and m[4] == FAST_SUITE]
    build = ROOT / arguments.build
    if not (build / "CTestTestfile.cmake").is_file():
        sys.exit(f"{build}: not a configured build; run `cmake --preset release` first")
    logs = build / "mutations"
    logs.mkdir(exist_ok=True)

    survivors = []
    for index, (file, original, mutant, what, tests) in enumerate(mutations, start=1):
        source = ROOT / file
        text = source.read_text()
        started = time.monotonic()
        log_path = logs / f"{index:02d}.log"
        try:
            source.write_text(text.replace(original, mutant))
            with open(log_path, "w") as log:
                if run(["cmake", "--build", str(build)], log) != 0:
                    verdict = "killed (build)"
                elif run(["ctest", "--test-dir", str(build), *tests, "-j2", "--stop-on-failure"], log) != 0:
                    verdict = "killed"
                else:
                    verdict = "SURVIVED"
                    survivors.append(what)
        finally:
            source.write_text(text)
        print(f"{index:2d} {verdict:15s} {time.monotonic() - started:5.0f} s  {file}: {what}", flush=True)

    # Leave the build as the source is.
    with open(logs / "restore.log", "w") as log:
        run(["cmake", "--build", str(build)], log)
    print(f"{len(mutations) - len(survivors)} of {len(mutations)} mutants killed")
    for what in survivors:
        print(f"survived: {what}")
    return 1 if survivors else 0


if __name__ == "__main__":
    sys.exit(main())
