"""Where numba keeps the engine's compiled code: one folder per version of the engine's source.

numba reuses a function's cached machine code for as long as the file that defines
it keeps its modification time and size; it keys nothing on the functions that
function calls. The kernel (``kernel.py``) inlines the random streams of
``streams.py``, so a change to ``streams.py`` alone, in a working copy or an
editable install, would leave the kernel's stale code in use, silently, with the
old random numbers. Pointing numba's cache at a folder named by a hash of every
engine source file (and numba's version) makes any change compile afresh.

The folder sits where numba would put it anyway (the engine's ``__pycache__``). If
that folder cannot be written, or ``NUMBA_CACHE_DIR`` names one, numba's own choice
stands.

Loading cached code is most of a short run's start-up, so this module also spares
numba two needless costs of it: :func:`defer_blas_check` and
:func:`typing_deferred_while_loading`.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import sys
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ENGINE_DIR = Path(__file__).resolve().parent
"""The engine's package folder: every ``*.py`` file in it is hashed."""


def source_key(sources: Iterable[tuple[str, bytes]], numba_version: str) -> str:
    """A short hash of (file name, contents) pairs and numba's version (pure)."""
    digest = hashlib.sha256(numba_version.encode())
    for name, text in sorted(sources):
        digest.update(name.encode() + b"\0" + hashlib.sha256(text).digest())
    return digest.hexdigest()[:16]


def keyed_cache_dir(engine_dir: Path, key: str) -> Path:
    """The cache folder for the engine source hashed to ``key``."""
    return engine_dir / "__pycache__" / f"numba-{key}"


def engine_sources(engine_dir: Path = ENGINE_DIR) -> list[tuple[str, bytes]]:
    """The engine's source files, as (name, contents)."""
    return [(path.name, path.read_bytes()) for path in sorted(engine_dir.glob("*.py"))]


def use_keyed_cache(environ: Mapping[str, str] = os.environ) -> Path | None:
    """Point numba's cache at this engine source's folder; the folder, or None if left alone.

    Called before the first ``@njit(cache=True)`` of the engine is decorated (numba picks a
    function's cache folder then). It also calls :func:`defer_blas_check`.
    """
    import numba

    defer_blas_check()

    config: Any = numba.config  # CACHE_DIR is set from the environment, untyped
    if environ.get("NUMBA_CACHE_DIR"):
        return None
    folder = keyed_cache_dir(ENGINE_DIR, source_key(engine_sources(), numba.__version__))
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    if not os.access(folder, os.W_OK):
        return None
    config.CACHE_DIR = str(folder)
    return folder


def defer_blas_check() -> None:
    """Let numba load compiled code without importing SciPy's linear algebra first.

    The first time numba loads or compiles anything in a process it imports its
    array-math registry (``numba.np.arraymath``), which checks at once whether BLAS
    is there by importing ``scipy.linalg`` — about 0.3 CPU-s, a sixth of a short
    ``simulate run``, spent on a library the engine never calls (it has no
    ``np.dot``, ``np.linalg`` or other matrix product). Importing that registry here
    with the check answered from ``importlib.util.find_spec("scipy")`` instead leaves
    numba as it was: a function that does use BLAS still makes numba import
    ``scipy.linalg`` when it is compiled (``ensure_blas``). Nothing is done if numba's
    registry or ``scipy.linalg`` is already imported, or if this numba has no
    ``ensure_blas`` to defer (numba as it is then: slower, never wrong).
    """
    if "numba.np.arraymath" in sys.modules or "scipy.linalg" in sys.modules:
        return
    from numba.np import linalg

    ensure_blas = getattr(linalg, "ensure_blas", None)
    if ensure_blas is None:
        return

    def answered_later() -> None:
        raise ImportError("BLAS is checked when a function that needs it is compiled")

    linalg.ensure_blas = answered_later
    try:
        from numba.np import arraymath
    finally:
        linalg.ensure_blas = ensure_blas
    registry: Any = arraymath  # numba's module attributes are untyped
    registry.ensure_blas = ensure_blas
    registry._HAVE_BLAS = importlib.util.find_spec("scipy") is not None


@contextmanager
def typing_deferred_while_loading() -> Iterator[None]:
    """Within the block, numba loads cached code without first building its typing tables.

    Before loading a function from the cache, numba refreshes its whole target context,
    and with it the typing context: every typing registry of numba and NumPy is
    installed (about 0.15 CPU-s, a tenth of a short ``simulate run``). Loaded machine
    code needs none of it — only the lowering side (the runtime's functions, which the
    refresh still installs) — and a function that has to be *compiled* refreshes the
    typing context itself (numba's compiler does, first thing). So within the block,
    the typing refresh is skipped when, and only when, numba is loading from its cache;
    a cache miss compiles as usual. The CLI wraps its one load of the kernels
    (``load_kernels``) in it; nothing else changes, and outside the block numba is as
    it was. A numba without ``Cache.load_overload`` is left as it is.
    """
    from numba.core import caching

    cache: Any = caching.Cache  # numba is untyped
    load = getattr(cache, "load_overload", None)
    if load is None:
        yield
        return

    def load_overload(self: Any, sig: Any, target_context: Any) -> Any:
        typing = target_context.typing_context
        typing.refresh = _typing_not_needed  # this instance only, removed below
        try:
            return load(self, sig, target_context)
        finally:
            del typing.refresh

    cache.load_overload = load_overload
    try:
        yield
    finally:
        cache.load_overload = load


def _typing_not_needed() -> None:
    """Stands in for the typing context's refresh while cached code is loaded."""
