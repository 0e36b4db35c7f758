"""The compiled twins of the counter-based streams give the numpy functions' numbers bit for bit.

The kernel calls :func:`streams.uniform_word` and friends per draw; the CRN
tests and the batch set-up use the numpy functions. Both must be the same
function of the key, or common random numbers would hold in one and not the other.
"""

from __future__ import annotations

import numpy as np
from scipy.special import betaincinv, ndtri

from simulate.engine import CHURN, WALLET, streams


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
