"""The compiled twins of the counter-based streams give the numpy functions' numbers bit for bit.

The kernel calls :func:`streams.uniform_word` and friends per draw; the CRN
tests and the batch set-up use the numpy functions. Both must be the same
function of the key, or common random numbers would hold in one and not the other.
"""

from __future__ import annotations

import numpy as np
from scipy.special import betaincinv, ndtri

from simulate.engine import (
    ASK_CONTACT,
    CHURN,
    CONTACT_DECAY,
    CONVERSATIONS,
    WALLET,
    kernel,
    streams,
)


def test_mix_word_is_the_finaliser_bit_for_bit() -> None:
    words = np.array([0, 1, 2**63, 2**64 - 1, 0x9E3779B97F4A7C15, 12345], dtype=np.uint64)
    for word in words:
        assert int(streams.mix_word(word)) == streams.mix_int(int(word))


def test_compiled_keys_and_uniforms_equal_the_numpy_streams() -> None:
    trial = np.arange(40, dtype=np.uint64)[:, None]
    entity = np.array([0, 1, 7, 2**40 + 3, streams.TRIAL_ENTITY], dtype=np.uint64)[None, :]
    base = streams.base_key(11, trial, entity)
    seed = streams.seed_word(11)
    for month, mechanism in ((0, CHURN), (5, WALLET), (119, CHURN)):
        u = streams.uniform(base, month, mechanism)
        step = np.uint64(streams.counter(month, mechanism))
        for t in range(base.shape[0]):
            for e in range(base.shape[1]):
                word = streams.base_word(seed, np.uint64(t), entity[0, e])
                assert word == base[t, e]
                assert streams.uniform_word(np.uint64(word), step) == u[t, e]
    parents = np.array([3, 2**62 | 99, 2**63 | 5], dtype=np.uint64)
    ordinals = np.array([0, 4, 1000], dtype=np.uint64)
    children = streams.child_entity(parents, ordinals)
    for p, o, c in zip(parents, ordinals, children, strict=True):
        assert streams.child_word(p, o) == c


def test_inverse_normal_and_beta_quantile_match_scipy() -> None:
    p = np.concatenate([np.linspace(1e-6, 1 - 1e-6, 20_001), [1e-300, 1e-15, 0.5, 1 - 1e-15]])
    np.testing.assert_allclose(streams.normal_of(p), ndtri(p), rtol=1e-14, atol=1e-14)
    q = np.linspace(1e-4, 1 - 1e-4, 2_001)
    for a, b in ((1.2, 80.0), (2.0, 150.0), (0.5, 0.5), (5.0, 2.0)):
        np.testing.assert_allclose(
            streams.beta_quantiles(a, b, q), betaincinv(a, b, q), rtol=1e-9, err_msg=f"{a}, {b}"
        )


def test_two_draws_from_one_word_equal_the_numpy_halves() -> None:
    base = streams.base_key(5, np.arange(30, dtype=np.uint64)[:, None], np.arange(7)[None, :])
    high, low = streams.halves(base, 9, CHURN)
    step = np.uint64(streams.counter(9, CHURN))
    for t in range(base.shape[0]):
        for e in range(base.shape[1]):
            word = np.uint64(streams.draw_word(base[t, e], step))
            assert streams.high_unit(word) == high[t, e]
            assert streams.low_unit(word) == low[t, e]
    # The halves are two uniforms on (0, 1), and not the same one.
    assert min(high.min(), low.min()) > 0.0
    assert max(high.max(), low.max()) < 1.0
    assert abs(np.corrcoef(high.ravel(), low.ravel())[0, 1]) < 0.15
    # The kernel's account loop draws from the mechanisms core names.
    assert (kernel.CONVERSATIONS_STREAM, kernel.ASK_STREAM, kernel.CHURN_STREAM) == (
        CONVERSATIONS, ASK_CONTACT, CHURN
    )
    assert (kernel.WALLET_STREAM, kernel.DECAY_STREAM) == (WALLET, CONTACT_DECAY)


def test_tabulated_lognormal_factor_and_beta_quantile_match_the_exact_ones() -> None:
    sd = 0.2 / np.sqrt(12.0)
    table = streams.lognormal_table(sd)
    u = np.concatenate([np.linspace(1e-9, 1 - 1e-9, 20_011), [streams.LOGNORMAL_LOW, 0.5]])
    got = np.array([streams.lognormal_factor(p, sd, table) for p in u])
    np.testing.assert_allclose(got, np.exp(sd * ndtri(u)), rtol=1e-10)
    q = np.linspace(1e-4, 1 - 1e-4, 2_001)  # the tails below 1/64 take the generic path
    for a, b in ((1.2, 80.0), (2.0, 150.0), (0.5, 0.5), (5.0, 2.0), (0.1, 3.0)):
        np.testing.assert_allclose(
            streams.beta_quantiles_from(a, b, q, streams.beta_table(a, b)),
            betaincinv(a, b, q),
            rtol=1e-9,
            err_msg=f"{a}, {b}",
        )


def test_beta_quantiles_of_an_array_are_the_scalar_ones_bit_for_bit() -> None:
    """The batch set-up takes θ two at a time (interleaved chains); the kernel one at a time
    for new logos: both must be the same numbers, tails, odd lengths and every shape."""
    rng = np.random.default_rng(4)
    p = np.concatenate([rng.uniform(0.0, 1.0, 1_001), rng.uniform(0.0, 0.02, 40), [0.5]])
    for a, b in ((1.2, 80.0), (0.5, 0.5), (5.0, 2.0), (0.1, 3.0)):
        table = streams.beta_table(a, b)
        one_by_one = [streams.beta_quantile_from(a, b, q, table) for q in p]
        np.testing.assert_array_equal(streams.beta_quantiles_from(a, b, p, table), one_by_one)
