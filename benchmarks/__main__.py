"""Run the benchmarks: ``python -m benchmarks [NAME ...] [--quick]`` (``make bench``)."""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import time

import benchmarks


def available() -> list[str]:
    """Names of the benchmark modules (``bench_<name>.py``), sorted."""
    return sorted(
        info.name.removeprefix("bench_")
        for info in pkgutil.iter_modules(benchmarks.__path__)
        if info.name.startswith("bench_")
    )


def main() -> None:
    """Run the named benchmarks, or all of them."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("names", nargs="*", help=f"benchmarks to run (default: {available()})")
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke run")
    args = parser.parse_args()
    names = args.names or available()
    unknown = sorted(set(names) - set(available()))
    if unknown:
        parser.error(f"unknown benchmark(s) {unknown}; available: {available()}")
    for name in names:
        module = importlib.import_module(f"benchmarks.bench_{name}")
        print(f"== {name} ==", flush=True)
        start = time.perf_counter()
        module.main(quick=args.quick)
        print(f"({name}: {time.perf_counter() - start:.1f} s in all)\n", flush=True)


if __name__ == "__main__":
    main()
