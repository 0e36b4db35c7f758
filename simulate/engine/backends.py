"""Where a run's tasks execute: in this process, a pool of local processes, or a Dask cluster.

A backend only submits picklable calls and gives their results back as each
finishes (``(index, result)`` pairs, in any order); it knows nothing of the
model, and the engine knows nothing of the backend: :mod:`.batching` cuts a run
into tasks of whole trial blocks and puts the results back in order, so every
backend gives the same statistics bit for bit.

Stopping: closing a backend (``with`` block exit, including on Ctrl+C) cancels
what has not started and stops every worker: the local pool's processes are
terminated (they ignore SIGINT themselves, so only the parent decides); a Dask
cluster's futures are cancelled and a LocalCluster started here is closed.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Generator, Sequence
from types import TracebackType
from typing import Any, Protocol


class Backend(Protocol):
    """Runs ``fn(*args)`` for each task and yields ``(index, result)`` as tasks finish."""

    workers: int
    """How many tasks run at once (used to size tasks)."""

    def run(
        self, fn: Callable[..., Any], tasks: Sequence[tuple[Any, ...]]
    ) -> Generator[tuple[int, Any], None, None]:
        """Submit every task and yield each result with its task's index as it finishes."""
        ...

    def close(self) -> None:
        """Stop every worker and release the backend (idempotent)."""
        ...

    def __enter__(self) -> Backend: ...

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...


def available_cores() -> int:
    """The CPU cores this process may run on (the affinity mask, else the CPU count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - platforms without sched_getaffinity
        return max(1, os.cpu_count() or 1)


class SerialBackend:
    """Every task in this process, one after the other."""

    workers = 1

    def run(
        self, fn: Callable[..., Any], tasks: Sequence[tuple[Any, ...]]
    ) -> Generator[tuple[int, Any], None, None]:
        for index, args in enumerate(tasks):
            yield index, fn(*args)

    def close(self) -> None:
        return None

    def __enter__(self) -> SerialBackend:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def _ignore_interrupts() -> None:
    """Pool workers leave Ctrl+C to the parent, which terminates them; on Linux they also
    end when the parent dies without cleaning up (SIGTERM, SIGKILL)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
        except (OSError, AttributeError):  # pragma: no cover - no prctl: Ctrl+C still works
            pass
        if os.getppid() == 1:  # the parent died before prctl took effect
            os._exit(1)


_PR_SET_PDEATHSIG = 1


def _call(job: tuple[int, Callable[..., Any], tuple[Any, ...]]) -> tuple[int, Any]:
    index, fn, args = job
    return index, fn(*args)


class ProcessBackend:
    """A pool of ``workers`` local processes (fork where the platform has it)."""

    def __init__(self, workers: int) -> None:
        if workers < 1:
            raise ValueError(f"workers: expected a whole number ≥ 1; found {workers}")
        self.workers = workers
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        self._pool = context.Pool(workers, initializer=_ignore_interrupts)
        self._closed = False

    def run(
        self, fn: Callable[..., Any], tasks: Sequence[tuple[Any, ...]]
    ) -> Generator[tuple[int, Any], None, None]:
        jobs = [(index, fn, args) for index, args in enumerate(tasks)]
        yield from self._pool.imap_unordered(_call, jobs)

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._pool.terminate()
            self._pool.join()

    def __enter__(self) -> ProcessBackend:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


class DaskBackend:
    """Tasks on a Dask cluster: an existing scheduler's address, or ``"local"``.

    ``local`` starts a LocalCluster of ``workers`` single-threaded worker processes
    (in-process threads when ``processes=False``, as the tests do). Needs the
    ``repfit[dask]`` extra.
    """

    def __init__(self, address: str, *, workers: int | None = None, processes: bool = True):
        try:
            from distributed import Client, LocalCluster
        except ImportError as error:  # pragma: no cover - exercised without the extra
            raise RuntimeError(
                "it needs the dask extra: pip install 'repfit[dask]'"
            ) from error
        self._cluster: Any = None
        if address == "local":
            n = workers or available_cores()
            self._cluster = LocalCluster(  # type: ignore[no-untyped-call]
                n_workers=n,
                threads_per_worker=1,
                processes=processes,
                dashboard_address=None,
            )
            self._client: Any = Client(self._cluster)  # type: ignore[no-untyped-call]
        else:
            try:
                self._client = Client(address, timeout="15s")  # type: ignore[no-untyped-call]
            except (OSError, TimeoutError, ValueError) as error:
                raise ValueError(
                    f"could not reach a Dask scheduler at {address!r} ({error}); expected an "
                    "address such as tcp://host:8786 of a running `dask scheduler`, or `local`"
                ) from error
        self.workers = max(1, sum(self._client.nthreads().values()))
        self._futures: list[Any] = []

    def run(
        self, fn: Callable[..., Any], tasks: Sequence[tuple[Any, ...]]
    ) -> Generator[tuple[int, Any], None, None]:
        from distributed import as_completed

        futures = [
            self._client.submit(_call, (index, fn, args), pure=False)
            for index, args in enumerate(tasks)
        ]
        self._futures = futures
        for future in as_completed(futures):  # type: ignore[no-untyped-call]
            index, result = future.result()
            future.release()
            yield index, result

    def close(self) -> None:
        if self._futures:
            self._client.cancel(self._futures)
            self._futures = []
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None

    def __enter__(self) -> DaskBackend:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def open_backend(workers: int | None = None, dask: str | None = None) -> Backend:
    """The backend a command asked for: a Dask cluster, else ``workers`` local processes
    (default: the cores available), this process itself for one worker.

    Raises ValueError with a one-line reason when a cluster cannot be reached.
    """
    if dask is not None:
        return DaskBackend(dask, workers=workers)
    n = available_cores() if workers is None else workers
    return SerialBackend() if n <= 1 else ProcessBackend(n)


__all__ = [
    "Backend",
    "DaskBackend",
    "ProcessBackend",
    "SerialBackend",
    "available_cores",
    "open_backend",
]
