"""Counter-based, integer-only random numbers keyed by (seed, trial, entity, month, mechanism).

Every random number of the simulation is a pure function of its key, so no draw
depends on how many other draws were made before it, on the team, on the
horizon, on the batch size or on the number of workers (DESIGN.md §5, common
random numbers). The hash is SplitMix64's finaliser (Steele, Lea & Flood 2014,
the seeding routine of numpy's SFC64 and xoshiro generators) applied to
uint64 words; it uses only 64-bit integer xor, shift and wrapping multiply, so a
compiled kernel (numba, C) can call the same arithmetic and reproduce every
number bit for bit.

Two steps keep it cheap:

* :func:`base_key` hashes (seed, trial, entity) once per account, seat or
  trial-wide entity (a uint64 per row of state);
* :func:`uniform` then costs one finaliser per draw: ``mix(base + counter(month,
  mechanism))``, where the counter is itself a hash of (month, mechanism), the
  way SplitMix64 walks its state by a fixed odd increment.

Entities: book account ``i`` is ``i``; a seat is :func:`seat_entity` of its id
hash; trial-wide draws (the economy) use :data:`TRIAL_ENTITY`; a new logo is
:func:`child_entity` of the entity that sourced it (the seat that won it, or
the referring account) and the ordinal of that source's new logo, so slots are
fixed per (seat, n-th logo it wins) and per (referring account, n-th referral).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import ndtri

U64 = np.uint64
MASK64 = (1 << 64) - 1
GOLDEN = 0x9E3779B97F4A7C15
"""SplitMix64's increment (2^64 / golden ratio, odd)."""
_M1 = 0xBF58476D1CE4E5B9
_M2 = 0x94D049BB133111EB
_SEAT_TAG = 1 << 62
_CHILD_TAG = 1 << 63
TRIAL_ENTITY = (1 << 61) + 1
"""Entity of trial-wide draws (the economy's shock each month)."""

Uint64Array = NDArray[np.uint64]
FloatArray = NDArray[np.float64]


def mix_int(z: int) -> int:
    """SplitMix64's finaliser on a Python int (64-bit wrapping arithmetic)."""
    z &= MASK64
    z = ((z ^ (z >> 30)) * _M1) & MASK64
    z = ((z ^ (z >> 27)) * _M2) & MASK64
    return z ^ (z >> 31)


def mix(z: Uint64Array) -> Uint64Array:
    """SplitMix64's finaliser on a uint64 array (wrapping multiply, integer-only)."""
    z = np.array(z, dtype=np.uint64, copy=True)
    return _mix_inplace(z, np.empty_like(z))


def _mix_inplace(z: Uint64Array, tmp: Uint64Array) -> Uint64Array:
    """:func:`mix` computed in ``z`` itself (``tmp`` is scratch space of the same shape)."""
    for shift, multiplier in ((30, _M1), (27, _M2)):
        np.right_shift(z, U64(shift), out=tmp)
        np.bitwise_xor(z, tmp, out=z)
        np.multiply(z, U64(multiplier), out=z)
    np.right_shift(z, U64(31), out=tmp)
    np.bitwise_xor(z, tmp, out=z)
    return z


def _as_u64(values: ArrayLike) -> Uint64Array:
    return np.asarray(values).astype(np.uint64, copy=False)


def base_key(seed: int, trial: ArrayLike, entity: ArrayLike) -> Uint64Array:
    """The per-(seed, trial, entity) word all of an entity's draws in a trial start from."""
    s = U64(mix_int(seed * GOLDEN + 0x632BE59BD9B4E019))
    with np.errstate(over="ignore"):
        h = mix(s + _as_u64(trial) * U64(GOLDEN))
        return mix(h ^ (_as_u64(entity) * U64(0xD1B54A32D192ED03) + U64(GOLDEN)))


def counter(month: int, mechanism: int) -> int:
    """The offset of (month, mechanism) within an entity's stream (a hash; odd steps)."""
    return mix_int(mix_int(month * GOLDEN + 0x2545F4914F6CDD1D) ^ (mechanism * _M2)) | 1


def bits(base: Uint64Array, month: int, mechanism: int) -> Uint64Array:
    """64 random bits per element of ``base`` for (month, mechanism)."""
    with np.errstate(over="ignore"):
        z = np.add(base, U64(counter(month, mechanism)), dtype=np.uint64)
        return _mix_inplace(z, np.empty_like(z))


def to_unit(word: Uint64Array) -> FloatArray:
    """The top 53 bits as a float in the open interval (0, 1)."""
    unit = (word >> U64(11)).astype(np.float64)
    unit += 0.5
    unit *= 1.0 / 9007199254740992.0
    return unit


def uniform(base: Uint64Array, month: int, mechanism: int) -> FloatArray:
    """A uniform in (0, 1) per element of ``base`` for (month, mechanism)."""
    return to_unit(bits(base, month, mechanism))


def normal(base: Uint64Array, month: int, mechanism: int) -> FloatArray:
    """A standard normal per element (the inverse normal CDF of :func:`uniform`)."""
    return np.asarray(ndtri(uniform(base, month, mechanism)), dtype=np.float64)


def seat_entity(seat_hash: int) -> int:
    """The entity of a seat, from a stable hash of its id (independent of the team)."""
    return _SEAT_TAG | (seat_hash & 0xFFFFFFFF)


def child_entity(parent: ArrayLike, ordinal: ArrayLike) -> Uint64Array:
    """The entity of the ``ordinal``-th new logo sourced by ``parent`` (a seat or an account)."""
    with np.errstate(over="ignore"):
        h = mix(_as_u64(parent) * U64(GOLDEN) + _as_u64(ordinal) + U64(0x7F4A7C159E3779B9))
    return h | U64(_CHILD_TAG)


def uniform_scalar(seed: int, trial: int, entity: int, month: int, mechanism: int) -> float:
    """One uniform from Python ints (the same number :func:`uniform` gives for that key)."""
    base = base_key(seed, np.array([trial]), np.array([entity], dtype=np.uint64))
    return float(uniform(base, month, mechanism)[0])


__all__ = [
    "TRIAL_ENTITY",
    "base_key",
    "bits",
    "child_entity",
    "counter",
    "mix",
    "mix_int",
    "normal",
    "seat_entity",
    "to_unit",
    "uniform",
    "uniform_scalar",
]
