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

import math

import numpy as np
from numba import njit
from numpy.typing import ArrayLike, NDArray

from simulate.engine.jitcache import use_keyed_cache

use_keyed_cache()  # before the first @njit(cache=True): the kernel inlines this file's code

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
_HALF_UNIT = 1.0 / 4294967296.0
"""2^-32: the step of a uniform made from half a word (:func:`halves`)."""


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


def halves(base: Uint64Array, month: int, mechanism: int) -> tuple[FloatArray, FloatArray]:
    """Two uniforms in (0, 1) per element from one word: its high and its low 32 bits.

    For a mechanism that makes two draws (conversations and the win, the two asks,
    churn and the management change): one finaliser instead of two, and each half has
    a resolution of 2^-32, far finer than any probability it is compared with.
    """
    word = bits(base, month, mechanism)
    high = (word >> U64(32)).astype(np.float64)
    low = (word & U64(0xFFFFFFFF)).astype(np.float64)
    for half in (high, low):
        half += 0.5
        half *= _HALF_UNIT
    return high, low


def normal(base: Uint64Array, month: int, mechanism: int) -> FloatArray:
    """A standard normal per element (:func:`inverse_normal` of :func:`uniform`)."""
    return normal_of(uniform(base, month, mechanism))


def normal_of(unit: FloatArray) -> FloatArray:
    """:func:`inverse_normal` of every element of ``unit`` (uniforms in (0, 1))."""
    return _inverse_normal_array(np.ascontiguousarray(unit, dtype=np.float64))


LOGNORMAL_CELLS = 4096
"""Cells of :func:`lognormal_table` (relative error about 2e-11; 64 KiB, kept in cache)."""
LOGNORMAL_LOW = 1.0 / 64.0
"""Uniforms below this (or above 1 minus it) take the exact :func:`lognormal_factor` path."""


def lognormal_table(sd: float) -> FloatArray:
    """``exp(sd·Φ⁻¹(u))`` and its slope (times the cell width) at the cell edges of
    [LOGNORMAL_LOW, 1 − LOGNORMAL_LOW], for :func:`lognormal_factor`'s cubic Hermite
    interpolation (shape: cells + 1 × 2)."""
    width = (1.0 - 2.0 * LOGNORMAL_LOW) / LOGNORMAL_CELLS
    u = np.asarray(LOGNORMAL_LOW + width * np.arange(LOGNORMAL_CELLS + 1), dtype=np.float64)
    z = normal_of(u)
    value = np.exp(sd * z)
    # d/du exp(sd·z) = sd·exp(sd·z) / φ(z), φ the standard normal density.
    slope = sd * value * math.sqrt(2.0 * math.pi) * np.exp(0.5 * z * z)
    return np.ascontiguousarray(np.stack([value, slope * width], axis=1))


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


# ----------------------------------------------------------------------------- compiled twins
# The same arithmetic as above on scalars, compiled by numba (cached on disk) so the kernel
# calls it per draw. Every constant is a uint64, so no operation is promoted to float and the
# words are the numpy functions' words bit for bit (tests/simulate/test_streams.py).

_U11 = np.uint64(11)
_U27 = np.uint64(27)
_U30 = np.uint64(30)
_U31 = np.uint64(31)
_UM1 = np.uint64(_M1)
_UM2 = np.uint64(_M2)
_UGOLDEN = np.uint64(GOLDEN)
_UENTITY = np.uint64(0xD1B54A32D192ED03)
_UCHILD = np.uint64(0x7F4A7C159E3779B9)
_UCHILD_TAG = np.uint64(_CHILD_TAG)
_UNIT = 1.0 / 9007199254740992.0
_U32 = np.uint64(32)
_ULOW = np.uint64(0xFFFFFFFF)


@njit(cache=True, inline="always")
def mix_word(z: np.uint64) -> np.uint64:
    """:func:`mix_int` on one uint64 (compiled)."""
    z = (z ^ (z >> _U30)) * _UM1
    z = (z ^ (z >> _U27)) * _UM2
    return z ^ (z >> _U31)


@njit(cache=True, inline="always")
def base_word(seed_word: np.uint64, trial: np.uint64, entity: np.uint64) -> np.uint64:
    """:func:`base_key` of one (trial, entity); ``seed_word`` is :func:`seed_word` of the seed."""
    h = mix_word(seed_word + trial * _UGOLDEN)
    return mix_word(h ^ (entity * _UENTITY + _UGOLDEN))


@njit(cache=True, inline="always")
def uniform_word(base: np.uint64, step: np.uint64) -> float:
    """:func:`uniform` of one base word; ``step`` is :func:`counter` of (month, mechanism)."""
    return (float(mix_word(base + step) >> _U11) + 0.5) * _UNIT


@njit(cache=True, inline="always")
def draw_word(base: np.uint64, step: np.uint64) -> np.uint64:
    """The 64 random bits :func:`bits` gives one base word (``step`` as in :func:`uniform_word`)."""
    return mix_word(base + step)


@njit(cache=True, inline="always")
def high_unit(word: np.uint64) -> float:
    """The first uniform of :func:`halves` (the high 32 bits of a :func:`draw_word`)."""
    return (float(word >> _U32) + 0.5) * _HALF_UNIT


@njit(cache=True, inline="always")
def low_unit(word: np.uint64) -> float:
    """The second uniform of :func:`halves` (the low 32 bits of a :func:`draw_word`)."""
    return (float(word & _ULOW) + 0.5) * _HALF_UNIT


@njit(cache=True, inline="always")
def child_word(parent: np.uint64, ordinal: np.uint64) -> np.uint64:
    """:func:`child_entity` of one (parent, ordinal)."""
    return mix_word(parent * _UGOLDEN + ordinal + _UCHILD) | _UCHILD_TAG


def seed_word(seed: int) -> np.uint64:
    """The seed's word that :func:`base_key` starts from (what :func:`base_word` takes)."""
    return U64(mix_int(seed * GOLDEN + 0x632BE59BD9B4E019))


# Wichura's AS241 (PPND16), accurate to about 1e-16: the inverse normal CDF used by
# :func:`normal` and by the kernel (one function, so both give the same numbers).
_A = (
    3.387132872796366608, 133.14166789178437745, 1971.5909503065514427,
    13731.693765509461125, 45921.953931549871457, 67265.770927008700853,
    33430.575583588128105, 2509.0809287301226727,
)  # fmt: skip
_B = (
    1.0, 42.313330701600911252, 687.1870074920579083, 5394.1960214247511077,
    21213.794301586595867, 39307.89580009271061, 28729.085735721942674,
    5226.495278852545925,
)  # fmt: skip
_C = (
    1.42343711074968357734, 4.6303378461565452959, 5.7694972214606914055,
    3.64784832476320460504, 1.27045825245236838258, 0.24178072517745061177,
    0.0227238449892691845833, 7.7454501427834140764e-4,
)  # fmt: skip
_D = (
    1.0, 2.05319162663775882187, 1.6763848301838038494, 0.68976733498510000455,
    0.14810397642748007459, 0.0151986665636164571966, 5.475938084995344946e-4,
    1.05075007164441684324e-9,
)  # fmt: skip
_E = (
    6.6579046435011037772, 5.4637849111641143699, 1.7848265399172913358,
    0.29656057182850489123, 0.026532189526576123093, 0.0012426609473880784386,
    2.71155556874348757815e-5, 2.01033439929228813265e-7,
)  # fmt: skip
_F = (
    1.0, 0.59983220655588793769, 0.13692988092273580531, 0.0148753612908506148525,
    7.868691311456132591e-4, 1.8463183175100546818e-5, 1.4215117583164458887e-7,
    2.04426310338993978564e-15,
)  # fmt: skip


@njit(inline="always")  # inlined: compiled (and cached) in its callers
def _poly(c: tuple[float, ...], x: float) -> float:
    return (
        (((((c[7] * x + c[6]) * x + c[5]) * x + c[4]) * x + c[3]) * x + c[2]) * x + c[1]
    ) * x + c[0]


@njit(cache=True)
def inverse_normal(p: float) -> float:
    """The standard normal quantile of ``p`` in (0, 1) (AS241; compiled)."""
    q = p - 0.5
    if abs(q) <= 0.425:
        r = 0.180625 - q * q
        return q * _poly(_A, r) / _poly(_B, r)
    r = p if q < 0.0 else 1.0 - p
    r = math.sqrt(-math.log(r))
    if r <= 5.0:
        r -= 1.6
        value = _poly(_C, r) / _poly(_D, r)
    else:
        r -= 5.0
        value = _poly(_E, r) / _poly(_F, r)
    return -value if q < 0.0 else value


@njit(cache=True, inline="always")
def lognormal_factor(u: float, sd: float, table: np.ndarray) -> float:
    """``exp(sd·Φ⁻¹(u))``: a lognormal factor from a uniform, by cubic Hermite interpolation
    in :func:`lognormal_table` of the same ``sd`` (relative error under 1e-10, tested), exactly
    in the tails. A quarter of the cost of :func:`inverse_normal` and ``exp``; still one
    monotone function of ``u``."""
    if u < LOGNORMAL_LOW or u > 1.0 - LOGNORMAL_LOW:
        return math.exp(sd * inverse_normal(u))
    x = (u - LOGNORMAL_LOW) * (LOGNORMAL_CELLS / (1.0 - 2.0 * LOGNORMAL_LOW))
    k = min(int(x), LOGNORMAL_CELLS - 1)
    t = x - k
    t2 = t * t
    t3 = t2 * t
    return float(
        (2.0 * t3 - 3.0 * t2 + 1.0) * table[k, 0]
        + (t3 - 2.0 * t2 + t) * table[k, 1]
        + (3.0 * t2 - 2.0 * t3) * table[k + 1, 0]
        + (t3 - t2) * table[k + 1, 1]
    )


@njit(cache=True)
def _inverse_normal_array(p: FloatArray) -> FloatArray:
    out = np.empty_like(p)
    flat_p = p.ravel()
    flat_out = out.ravel()
    for i in range(flat_p.size):
        flat_out[i] = inverse_normal(flat_p[i])
    return out


# The beta quantile (θ of an account drawn from the book's beta distribution): the
# regularised incomplete beta by Lentz's continued fraction, inverted by Halley steps from
# Abramowitz & Stegun 26.5.22 / the small-shape start (Press et al., Numerical Recipes,
# 3rd ed., §6.4). Relative error ~1e-12, far below any Monte Carlo error; compiled so the
# kernel and the batch set-up draw θ the same way.

_BETA_EPS = 1e-14
_BETA_TINY = 1e-300


@njit(cache=True)
def _beta_fraction(a: float, b: float, x: float) -> float:
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c = 1.0
    d = 1.0 - qab * x / qap
    if abs(d) < _BETA_TINY:
        d = _BETA_TINY
    d = 1.0 / d
    h = d
    for m in range(1, 400):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = _BETA_TINY if abs(d) < _BETA_TINY else d
        c = 1.0 + aa / c
        c = _BETA_TINY if abs(c) < _BETA_TINY else c
        d = 1.0 / d
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = _BETA_TINY if abs(d) < _BETA_TINY else d
        c = 1.0 + aa / c
        c = _BETA_TINY if abs(c) < _BETA_TINY else c
        d = 1.0 / d
        step = d * c
        h *= step
        if abs(step - 1.0) < _BETA_EPS:
            break
    return h


@njit(cache=False)  # called from compiled code only: cached in its callers
def _beta_fractions(
    a0: float, b0: float, x0: float, a1: float, b1: float, x1: float
) -> tuple[float, float]:
    """:func:`_beta_fraction` of two arguments at once, each with its own arithmetic and its
    own stopping point (the same numbers): two independent chains of divisions keep the
    core busy where one waits for each division."""
    qab0, qap0, qam0 = a0 + b0, a0 + 1.0, a0 - 1.0
    qab1, qap1, qam1 = a1 + b1, a1 + 1.0, a1 - 1.0
    c0 = 1.0
    c1 = 1.0
    d0 = 1.0 - qab0 * x0 / qap0
    d1 = 1.0 - qab1 * x1 / qap1
    if abs(d0) < _BETA_TINY:
        d0 = _BETA_TINY
    if abs(d1) < _BETA_TINY:
        d1 = _BETA_TINY
    d0 = 1.0 / d0
    d1 = 1.0 / d1
    h0 = d0
    h1 = d1
    done0 = False
    done1 = False
    for m in range(1, 400):
        m2 = 2 * m
        if not done0:
            aa = m * (b0 - m) * x0 / ((qam0 + m2) * (a0 + m2))
            d0 = 1.0 + aa * d0
            d0 = _BETA_TINY if abs(d0) < _BETA_TINY else d0
            c0 = 1.0 + aa / c0
            c0 = _BETA_TINY if abs(c0) < _BETA_TINY else c0
            d0 = 1.0 / d0
            h0 *= d0 * c0
            aa = -(a0 + m) * (qab0 + m) * x0 / ((a0 + m2) * (qap0 + m2))
            d0 = 1.0 + aa * d0
            d0 = _BETA_TINY if abs(d0) < _BETA_TINY else d0
            c0 = 1.0 + aa / c0
            c0 = _BETA_TINY if abs(c0) < _BETA_TINY else c0
            d0 = 1.0 / d0
            step = d0 * c0
            h0 *= step
            done0 = abs(step - 1.0) < _BETA_EPS
        if not done1:
            aa = m * (b1 - m) * x1 / ((qam1 + m2) * (a1 + m2))
            d1 = 1.0 + aa * d1
            d1 = _BETA_TINY if abs(d1) < _BETA_TINY else d1
            c1 = 1.0 + aa / c1
            c1 = _BETA_TINY if abs(c1) < _BETA_TINY else c1
            d1 = 1.0 / d1
            h1 *= d1 * c1
            aa = -(a1 + m) * (qab1 + m) * x1 / ((a1 + m2) * (qap1 + m2))
            d1 = 1.0 + aa * d1
            d1 = _BETA_TINY if abs(d1) < _BETA_TINY else d1
            c1 = 1.0 + aa / c1
            c1 = _BETA_TINY if abs(c1) < _BETA_TINY else c1
            d1 = 1.0 / d1
            step = d1 * c1
            h1 *= step
            done1 = abs(step - 1.0) < _BETA_EPS
        if done0 and done1:
            break
    return h0, h1


@njit(cache=False)  # called from compiled code only: cached in its callers
def _beta_cdfs(
    a: float, b: float, x0: float, x1: float, log_norm: float, logs: np.ndarray
) -> tuple[float, float]:
    """:func:`_beta_cdf` of two points in (0, 1) at once (the same numbers); ``logs`` gets
    log(x) and log(1 − x) of both, for the Newton step."""
    logs[0] = math.log(x0)
    logs[1] = math.log1p(-x0)
    logs[2] = math.log(x1)
    logs[3] = math.log1p(-x1)
    front0 = math.exp(log_norm + a * logs[0] + b * logs[1])
    front1 = math.exp(log_norm + a * logs[2] + b * logs[3])
    lower = (a + 1.0) / (a + b + 2.0)
    low0 = x0 < lower
    low1 = x1 < lower
    f0, f1 = _beta_fractions(
        a if low0 else b, b if low0 else a, x0 if low0 else 1.0 - x0,
        a if low1 else b, b if low1 else a, x1 if low1 else 1.0 - x1,
    )  # fmt: skip
    cdf0 = front0 * f0 / a if low0 else 1.0 - front0 * f0 / b
    cdf1 = front1 * f1 / a if low1 else 1.0 - front1 * f1 / b
    return cdf0, cdf1


@njit(cache=True)
def _beta_cdf(a: float, b: float, x: float, log_norm: float) -> float:
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    front = math.exp(log_norm + a * math.log(x) + b * math.log1p(-x))
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _beta_fraction(a, b, x) / a
    return 1.0 - front * _beta_fraction(b, a, 1.0 - x) / b


@njit(cache=True)
def beta_quantile(a: float, b: float, p: float) -> float:
    """The ``p`` quantile of Beta(a, b) for ``p`` in (0, 1) (compiled)."""
    log_norm = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)
    if a >= 1.0 and b >= 1.0:
        pp = p if p < 0.5 else 1.0 - p
        t = math.sqrt(-2.0 * math.log(pp))
        x = (2.30753 + t * 0.27061) / (1.0 + t * (0.99229 + t * 0.04481)) - t
        if p < 0.5:
            x = -x
        al = (x * x - 3.0) / 6.0
        h = 2.0 / (1.0 / (2.0 * a - 1.0) + 1.0 / (2.0 * b - 1.0))
        w = x * math.sqrt(al + h) / h - (1.0 / (2.0 * b - 1.0) - 1.0 / (2.0 * a - 1.0)) * (
            al + 5.0 / 6.0 - 2.0 / (3.0 * h)
        )
        x = a / (a + b * math.exp(2.0 * w))
    else:
        lna = math.log(a / (a + b))
        lnb = math.log(b / (a + b))
        t = math.exp(a * lna) / a
        u = math.exp(b * lnb) / b
        w = t + u
        x = (a * w * p) ** (1.0 / a) if p < t / w else 1.0 - (b * w * (1.0 - p)) ** (1.0 / b)
    a1, b1 = a - 1.0, b - 1.0
    for j in range(40):
        if x <= 0.0 or x >= 1.0:
            return x
        err = _beta_cdf(a, b, x, log_norm) - p
        t = math.exp(a1 * math.log(x) + b1 * math.log1p(-x) + log_norm)
        u = err / t
        t = u / (1.0 - 0.5 * min(1.0, u * (a1 / x - b1 / (1.0 - x))))
        x -= t
        if x <= 0.0:
            x = 0.5 * (x + t)
        if x >= 1.0:
            x = 0.5 * (x + t + 1.0)
        if abs(t) < _BETA_EPS * x and j > 0:
            break
    return x


@njit(cache=True)
def beta_quantiles(a: float, b: float, p: FloatArray) -> FloatArray:
    """:func:`beta_quantile` of every element of ``p``."""
    out = np.empty_like(p)
    flat_p = p.ravel()
    flat_out = out.ravel()
    for i in range(flat_p.size):
        flat_out[i] = beta_quantile(a, b, flat_p[i])
    return out


# A run draws a Beta θ for every book account of every trial and for every new logo: the
# quantile starts from a cubic Hermite interpolation in a per-run table of exact quantiles
# and takes one Newton step (one incomplete-beta evaluation instead of the three to six of
# Halley's iteration from the generic start). Where that step is not small (the tails, or
# a shape the table does not fit), :func:`beta_quantile` gives the number.

BETA_CELLS = 1024
"""Cells of :func:`beta_table` over [LOGNORMAL_LOW, 1 − LOGNORMAL_LOW] (16 KiB)."""
_BETA_POLISHED = 1e-7
"""A Newton step smaller than this (relative) leaves an error far below 1e-12."""


def beta_table(a: float, b: float) -> FloatArray:
    """Beta(a, b) quantiles and their slopes (times the cell width) at the cell edges of
    [LOGNORMAL_LOW, 1 − LOGNORMAL_LOW], for :func:`beta_quantile_from` (cells + 1 × 2)."""
    width = (1.0 - 2.0 * LOGNORMAL_LOW) / BETA_CELLS
    u = np.asarray(LOGNORMAL_LOW + width * np.arange(BETA_CELLS + 1), dtype=np.float64)
    x = beta_quantiles(a, b, u)
    log_norm = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)
    # dQ/du = 1 / density(Q).
    log_density = log_norm + (a - 1.0) * np.log(x) + (b - 1.0) * np.log1p(-x)
    return np.ascontiguousarray(np.stack([x, np.exp(-log_density) * width], axis=1))


@njit(cache=True)
def beta_quantile_from(a: float, b: float, p: float, table: np.ndarray) -> float:
    """:func:`beta_quantile` of ``p`` (to about 1e-12), started from :func:`beta_table`."""
    return beta_quantile_normed(a, b, p, table, beta_log_norm(a, b))


@njit(inline="always")  # inlined: compiled (and cached) in its callers
def beta_log_norm(a: float, b: float) -> float:
    """log(1 / B(a, b)), what :func:`beta_quantile_normed` takes."""
    return math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)


@njit(cache=True)
def beta_quantile_normed(a: float, b: float, p: float, table: np.ndarray, log_norm: float) -> float:
    """:func:`beta_quantile_from` given ``log_norm`` = :func:`beta_log_norm` of (a, b), so that
    many quantiles of one distribution take the three log-gammas once (the same numbers)."""
    x = _beta_start(p, table)
    if not 0.0 < x < 1.0:
        return beta_quantile(a, b, p)
    cdf = _beta_cdf(a, b, x, log_norm)
    return _beta_polished(a, b, p, x, log_norm, cdf, math.log(x), math.log1p(-x))


@njit(inline="always")  # inlined: compiled (and cached) in its callers
def _beta_start(p: float, table: np.ndarray) -> float:
    """The tabled start of :func:`beta_quantile_normed` (−1 outside the table's range)."""
    if p < LOGNORMAL_LOW or p > 1.0 - LOGNORMAL_LOW:
        return -1.0
    y = (p - LOGNORMAL_LOW) * (BETA_CELLS / (1.0 - 2.0 * LOGNORMAL_LOW))
    k = min(int(y), BETA_CELLS - 1)
    t = y - k
    t2 = t * t
    t3 = t2 * t
    return float(
        (2.0 * t3 - 3.0 * t2 + 1.0) * table[k, 0]
        + (t3 - 2.0 * t2 + t) * table[k, 1]
        + (3.0 * t2 - 2.0 * t3) * table[k + 1, 0]
        + (t3 - t2) * table[k + 1, 1]
    )


@njit(inline="always")  # inlined: compiled (and cached) in its callers
def _beta_polished(
    a: float, b: float, p: float, x: float, log_norm: float, cdf: float, lx: float, l1x: float
) -> float:
    """One Newton step from ``x`` (whose CDF is ``cdf``; ``lx``, ``l1x``: log(x), log(1 − x)),
    or the generic iteration."""
    err = cdf - p
    step = err / math.exp(log_norm + (a - 1.0) * lx + (b - 1.0) * l1x)
    if abs(step) > _BETA_POLISHED * x:
        return beta_quantile(a, b, p)
    return float(x - step)


@njit(cache=True)
def beta_quantiles_from(a: float, b: float, p: FloatArray, table: np.ndarray) -> FloatArray:
    """:func:`beta_quantile_from` of every element of ``p`` (two at a time: the same numbers)."""
    out = np.empty_like(p)
    flat_p = p.ravel()
    flat_out = out.ravel()
    log_norm = beta_log_norm(a, b)
    n = flat_p.size
    logs = np.empty(4)
    for i in range(0, n - 1, 2):
        p0 = flat_p[i]
        p1 = flat_p[i + 1]
        x0 = _beta_start(p0, table)
        x1 = _beta_start(p1, table)
        if 0.0 < x0 < 1.0 and 0.0 < x1 < 1.0:
            cdf0, cdf1 = _beta_cdfs(a, b, x0, x1, log_norm, logs)
            flat_out[i] = _beta_polished(a, b, p0, x0, log_norm, cdf0, logs[0], logs[1])
            flat_out[i + 1] = _beta_polished(a, b, p1, x1, log_norm, cdf1, logs[2], logs[3])
        else:
            flat_out[i] = beta_quantile_normed(a, b, p0, table, log_norm)
            flat_out[i + 1] = beta_quantile_normed(a, b, p1, table, log_norm)
    if n % 2:
        flat_out[n - 1] = beta_quantile_normed(a, b, flat_p[n - 1], table, log_norm)
    return out


__all__ = [
    "BETA_CELLS",
    "LOGNORMAL_CELLS",
    "LOGNORMAL_LOW",
    "TRIAL_ENTITY",
    "base_key",
    "base_word",
    "beta_log_norm",
    "beta_quantile",
    "beta_quantile_from",
    "beta_quantile_normed",
    "beta_quantiles",
    "beta_quantiles_from",
    "beta_table",
    "bits",
    "child_entity",
    "child_word",
    "counter",
    "draw_word",
    "halves",
    "high_unit",
    "inverse_normal",
    "lognormal_factor",
    "lognormal_table",
    "low_unit",
    "mix",
    "mix_int",
    "mix_word",
    "normal",
    "normal_of",
    "seat_entity",
    "seed_word",
    "to_unit",
    "uniform",
    "uniform_scalar",
    "uniform_word",
]
