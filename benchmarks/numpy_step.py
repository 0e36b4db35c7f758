"""The yardstick: a hand-tuned numpy step of a stripped-down model (float32, SFC64).

Not the model: a wallet random walk, proactive conversations that win share, a
competitor's pull toward a floor and a constant churn hazard, vectorised over
trials × accounts with in-place float32 arithmetic and one SFC64 generator per
batch. It is what a careful numpy implementation of a monthly step costs per
account-month on this machine, measured in the same run as the engine
(``benchmarks/bench_simulate.py``), so the ratio holds on a busy machine too.
"""

from __future__ import annotations

import numpy as np

BATCH_TRIALS = 64


def run(trials: int, accounts: int, months: int, seed: int = 1) -> float:
    """Simulate ``trials`` × ``accounts`` × ``months``; returns the mean final revenue."""
    total = 0.0
    rng0 = np.random.Generator(np.random.SFC64(seed))
    base_wallet = rng0.lognormal(np.log(12_000.0), 0.9, accounts).astype(np.float32)
    base_share = rng0.uniform(0.3, 0.7, accounts).astype(np.float32)
    for lo in range(0, trials, BATCH_TRIALS):
        t = min(BATCH_TRIALS, trials - lo)
        rng = np.random.Generator(np.random.SFC64([seed, lo]))
        wallet = np.broadcast_to(base_wallet, (t, accounts)).copy()
        share = np.broadcast_to(base_share, (t, accounts)).copy()
        floor = share * np.float32(0.5)
        ceiling = share + np.float32(0.5) * (np.float32(1.0) - share)
        active = np.ones((t, accounts), dtype=bool)
        noise = np.empty((t, accounts), dtype=np.float32)
        u = np.empty((t, accounts), dtype=np.float32)
        room = np.empty((t, accounts), dtype=np.float32)
        for _ in range(months):
            rng.standard_normal(out=noise, dtype=np.float32)
            noise *= np.float32(0.05)
            np.exp(noise, out=noise)
            wallet *= noise
            rng.random(out=u, dtype=np.float32)
            won = u < np.float32(0.08)
            np.subtract(ceiling, share, out=room)
            room *= np.float32(0.3)
            share += np.where(won, room, np.float32(0.0))
            np.subtract(share, floor, out=room)
            room *= np.float32(0.01)
            share -= room
            rng.random(out=u, dtype=np.float32)
            active &= u >= np.float32(0.01)
        revenue = np.where(active, share * wallet, np.float32(0.0)).sum(axis=1, dtype=np.float64)
        total += float(revenue.sum())
    return total / trials
