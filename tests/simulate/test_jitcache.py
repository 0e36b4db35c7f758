"""The engine's compiled code is cached per version of the engine's source, not per file."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numba
import pytest

import simulate.engine.streams  # noqa: F401  (sets the cache folder on import)
from simulate.engine.jitcache import (
    ENGINE_DIR,
    engine_sources,
    keyed_cache_dir,
    source_key,
    use_keyed_cache,
)

NUMBA_CONFIG: Any = numba.config  # its CACHE_DIR is untyped


def test_any_change_to_any_engine_file_gives_another_cache_folder() -> None:
    sources = [("kernel.py", b"def step(): ..."), ("streams.py", b"def mix(): ...")]
    key = source_key(sources, "0.61.0")
    assert key == source_key(list(reversed(sources)), "0.61.0")
    assert key != source_key([sources[0], ("streams.py", b"def mix(): ... ")], "0.61.0")
    assert key != source_key(sources, "0.62.0")  # a new numba compiles afresh too
    assert keyed_cache_dir(Path("/e"), key) == Path(f"/e/__pycache__/numba-{key}")


@pytest.mark.skipif(bool(os.environ.get("NUMBA_CACHE_DIR")), reason="the user chose a folder")
def test_the_engine_caches_in_the_folder_of_its_current_source() -> None:
    files = {name for name, _ in engine_sources()}
    assert {"kernel.py", "streams.py"} <= files
    expected = keyed_cache_dir(ENGINE_DIR, source_key(engine_sources(), numba.__version__))
    assert Path(NUMBA_CONFIG.CACHE_DIR) == expected


def test_a_folder_named_by_numba_cache_dir_is_left_alone() -> None:
    before = NUMBA_CONFIG.CACHE_DIR
    assert use_keyed_cache({"NUMBA_CACHE_DIR": "/somewhere"}) is None
    assert before == NUMBA_CONFIG.CACHE_DIR
