"""Item response theory: Samejima's graded response model, one model per trait.

Pure and vectorised (numpy/scipy): data in, data out; no files, no terminal.

The model (logistic metric, no 1.7 constant): an item with ``K`` ordered categories
``0 … K−1`` has a discrimination ``a > 0`` and ascending thresholds ``b_1 < … < b_{K−1}``;

    P(X ≥ c | θ) = 1 / (1 + exp(−a (θ − b_c)))        c = 1 … K−1
    P(X = k | θ) = P(X ≥ k) − P(X ≥ k+1)               (P(X ≥ 0) = 1, P(X ≥ K) = 0)

with θ ~ N(0, 1) in the calibration sample. :func:`fit_grm` estimates ``a`` and ``b``
by marginal maximum likelihood with the EM algorithm of Bock & Aitkin (1981) over a
fixed quadrature grid (61 points on [−6, 6], as mirt's default), M-steps by BFGS on
the expected complete-data log-likelihood; standard errors come from the observed
information matrix, the central-difference Jacobian of the exact marginal score
(Fisher's identity: the score is the M-step gradient at the posterior of the current
estimate). :func:`eap` scores people (expected a-posteriori θ and posterior SD on the
same grid); :func:`item_information` gives Fisher information for adaptive testing.

Why not a library: the reference implementation, ``mirt``, is R. The Python candidates
(``girth`` for graded-response calibration, ``catsim`` for adaptive testing) are not
available from the package index this project installs from. The model is small
enough to implement exactly and to check against simulations: parameter recovery,
standard errors against replications and a hand-computed EAP (tests/assess/test_irt.py,
``python -m benchmarks irt``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
from scipy.special import expit, log_ndtr

FloatArray = npt.NDArray[np.float64]

QUADRATURE_POINTS = 61
"""Number of equally spaced quadrature nodes for θ (mirt's default for one dimension)."""

QUADRATURE_LIMIT = 6.0
"""The grid runs from −6 to 6 (θ units, SDs of the calibration sample; mirt's default)."""

MIN_RESPONDENTS = 200
"""Fewer respondents with an answer to a trait's items and the trait is refused: a graded
response model's thresholds are not estimable with useful precision below a few hundred
(Reise & Yu 1990 recommend at least 500; the README says so). Respondents."""

RECOMMENDED_RESPONDENTS = 500
"""Below this a calibration succeeds but warns (Reise & Yu 1990). Respondents."""

MIN_CATEGORY_COUNT = 1
"""An item whose category has fewer answers than this is refused: its threshold is not
identified (an empty category). repfit refuses rather than collapses categories, so the
parameters always describe the questionnaire's scale as printed. Answers."""

SPARSE_CATEGORY_COUNT = 10
"""A category with fewer answers than this is identified but its threshold is imprecise;
the calibration warns. Answers."""

EM_TOLERANCE = 1e-5
"""EM stops when no parameter moves by more than this between iterations (θ units)."""

EM_MAX_ITERATIONS = 2000
"""EM gives up (``converged: false``) after this many iterations."""

MAX_DISCRIMINATION = 20.0
"""A discrimination above this means the item is (near) deterministic on this sample and
the model is not identified (Heywood case); the fit reports ``converged: false``."""

GRADIENT_TOLERANCE = 1e-3
"""At convergence the marginal score's largest element must be below this (per respondent
scaled ×1000): a diagnostic reported beside the EM criterion."""


class IrtError(ValueError):
    """A trait cannot be calibrated (too few respondents, an empty category, …)."""


def quadrature() -> tuple[FloatArray, FloatArray]:
    """The θ grid and its N(0, 1) prior weights (summing to 1)."""
    nodes = np.linspace(-QUADRATURE_LIMIT, QUADRATURE_LIMIT, QUADRATURE_POINTS)
    weights = np.exp(-0.5 * nodes**2)
    return nodes, weights / weights.sum()


# ------------------------------------------------------------------ the model


@dataclass(frozen=True)
class GrmItem:
    """One item's graded-response parameters (answers recoded to categories 0 … K−1)."""

    a: float
    """Discrimination (> 0)."""
    b: tuple[float, ...]
    """Ascending thresholds, one fewer than the categories."""

    @property
    def categories(self) -> int:
        """Number of answer categories."""
        return len(self.b) + 1


def category_probabilities(item: GrmItem, theta: npt.ArrayLike) -> FloatArray:
    """P(X = k | θ): shape ``θ.shape + (K,)``."""
    t = np.asarray(theta, dtype=np.float64)[..., None]
    star = expit(item.a * (t - np.asarray(item.b)))
    ones = np.ones(t.shape)
    zeros = np.zeros(t.shape)
    cumulative = np.concatenate([ones, star, zeros], axis=-1)
    probs: FloatArray = cumulative[..., :-1] - cumulative[..., 1:]
    return probs


def item_information(item: GrmItem, theta: npt.ArrayLike) -> FloatArray:
    """Fisher information of the item at θ: Σ_k P'_k(θ)² / P_k(θ) (same shape as θ)."""
    t = np.asarray(theta, dtype=np.float64)[..., None]
    star = expit(item.a * (t - np.asarray(item.b)))
    w = star * (1.0 - star)
    zeros = np.zeros(t.shape)
    w_full = np.concatenate([zeros, w, zeros], axis=-1)
    derivative = item.a * (w_full[..., :-1] - w_full[..., 1:])
    probs = category_probabilities(item, theta)
    info: FloatArray = np.sum(derivative**2 / np.maximum(probs, 1e-300), axis=-1)
    return info


def test_information(items: Sequence[GrmItem], theta: npt.ArrayLike) -> FloatArray:
    """Sum of the items' information at θ."""
    t = np.asarray(theta, dtype=np.float64)
    total = np.zeros(t.shape)
    for item in items:
        total = total + item_information(item, t)
    return total


test_information.__test__ = False  # type: ignore[attr-defined]  # not a pytest test


# ------------------------------------------------------------------ scoring


def _log_likelihood_grid(
    items: Sequence[GrmItem], responses: FloatArray, nodes: FloatArray
) -> FloatArray:
    """log P(responses | θ_q) per respondent and node (respondents × nodes); missing
    answers (NaN) contribute nothing."""
    n = responses.shape[0]
    out = np.zeros((n, nodes.size))
    for column, item in enumerate(items):
        x = responses[:, column]
        seen = ~np.isnan(x)
        if not seen.any():
            continue
        log_p = np.log(np.maximum(category_probabilities(item, nodes), 1e-300))  # nodes × K
        out[seen] += log_p[:, x[seen].astype(np.int64)].T
    return out


@dataclass(frozen=True)
class ThetaEstimate:
    """Expected a-posteriori θ of each respondent with its posterior SD."""

    theta: FloatArray
    """Posterior mean of θ (N(0, 1) prior); 0 for a respondent with no answers."""
    sd: FloatArray
    """Posterior standard deviation of θ; 1 for a respondent with no answers."""
    answered: npt.NDArray[np.int64]
    """Items answered by each respondent."""


def eap(items: Sequence[GrmItem], responses: npt.ArrayLike) -> ThetaEstimate:
    """EAP θ and posterior SD for each row of ``responses`` (respondents × items, categories
    0 … K−1, NaN = not answered), on the fixed quadrature grid with a N(0, 1) prior."""
    x = np.atleast_2d(np.asarray(responses, dtype=np.float64))
    if x.shape[1] != len(items):
        raise ValueError(f"responses have {x.shape[1]} columns; expected {len(items)} items")
    nodes, prior = quadrature()
    log_post = _log_likelihood_grid(items, x, nodes) + np.log(prior)
    log_post -= log_post.max(axis=1, keepdims=True)
    post = np.exp(log_post)
    post /= post.sum(axis=1, keepdims=True)
    mean = post @ nodes
    var = post @ nodes**2 - mean**2
    return ThetaEstimate(
        theta=mean,
        sd=np.sqrt(np.maximum(var, 0.0)),
        answered=(~np.isnan(x)).sum(axis=1).astype(np.int64),
    )


# ------------------------------------------------------------------ calibration


@dataclass(frozen=True)
class ItemFit:
    """One calibrated item: parameters and their standard errors."""

    a: float
    """Discrimination."""
    a_se: float
    """Standard error of ``a`` (observed information)."""
    b: tuple[float, ...]
    """Ascending thresholds."""
    b_se: tuple[float, ...]
    """Standard errors of the thresholds."""
    n: int
    """Respondents who answered the item."""
    counts: tuple[int, ...]
    """Answers per category."""

    def item(self) -> GrmItem:
        """The parameters without the standard errors."""
        return GrmItem(a=self.a, b=self.b)


@dataclass(frozen=True)
class GrmFit:
    """A calibrated trait: items, log-likelihood and convergence diagnostics."""

    items: dict[str, ItemFit]
    """Item id -> its parameters, in the order given."""
    loglik: float
    """Marginal log-likelihood at the estimate."""
    converged: bool
    """EM met its tolerance within the iteration limit, the information matrix is positive
    definite and no discrimination ran away."""
    iterations: int
    """EM iterations used."""
    max_change: float
    """Largest parameter change in the last EM iteration."""
    max_gradient: float
    """Largest element of the marginal score at the estimate (divided by n)."""
    n: int
    """Respondents with at least one answer to the trait's items."""
    warnings: tuple[str, ...] = ()
    """Calibrated, but read with care (small sample, sparse categories)."""
    information_theta: tuple[float, ...] = field(default=())
    """θ points at which the test information is reported."""
    information: tuple[float, ...] = field(default=())
    """Test information at each of :attr:`information_theta`."""

    def grm_items(self) -> list[GrmItem]:
        """The items' parameters in order."""
        return [fit.item() for fit in self.items.values()]


INFORMATION_THETA = (-3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 3.0)
"""θ points at which calibrations report test information."""


def _unpack(vector: FloatArray, n_items: int, n_thresholds: int) -> tuple[FloatArray, FloatArray]:
    """Natural parameters (a, b) from the working vector (log a, b_1, log gaps)."""
    p = vector.reshape(n_items, 1 + n_thresholds)
    a = np.exp(p[:, 0])
    b = np.cumsum(np.concatenate([p[:, 1:2], np.exp(p[:, 2:])], axis=1), axis=1)
    return a, b


def _pack(a: FloatArray, b: FloatArray) -> FloatArray:
    gaps = np.diff(b, axis=1)
    return np.concatenate([np.log(a)[:, None], b[:, :1], np.log(gaps)], axis=1).ravel()


def _expected_loglik_and_grad(
    a: FloatArray, b: FloatArray, nodes: FloatArray, counts: FloatArray
) -> tuple[float, FloatArray, FloatArray]:
    """Σ_j Σ_q Σ_k r_jqk log P_jk(θ_q) and its gradient in the natural parameters.

    ``counts`` is items × nodes × K (expected answers per category at each node).
    Returns (value, d/da (items), d/db (items × K−1)).
    """
    t = nodes[None, :, None]
    star = expit(a[:, None, None] * (t - b[:, None, :]))  # J × Q × (K−1)
    j, q = star.shape[0], star.shape[1]
    ones = np.ones((j, q, 1))
    zeros = np.zeros((j, q, 1))
    cumulative = np.concatenate([ones, star, zeros], axis=2)
    probs = np.maximum(cumulative[:, :, :-1] - cumulative[:, :, 1:], 1e-300)  # J × Q × K
    value = float(np.sum(counts * np.log(probs)))
    ratio = counts / probs  # J × Q × K
    w = star * (1.0 - star)  # J × Q × (K−1)
    # dP*_c/da = w (θ − b_c); dP*_c/db_c = −a w.  P_k = P*_k − P*_{k+1}.
    dstar_da = w * (t - b[:, None, :])
    dstar_da_full = np.concatenate([zeros, dstar_da, zeros], axis=2)
    dprob_da = dstar_da_full[:, :, :-1] - dstar_da_full[:, :, 1:]
    grad_a = np.sum(ratio * dprob_da, axis=(1, 2))
    # b_c enters P_{c−1} with −dP*_c/db_c and P_c with +dP*_c/db_c.
    dstar_db = -a[:, None, None] * w
    grad_b = np.sum((ratio[:, :, 1:] - ratio[:, :, :-1]) * dstar_db, axis=1)
    return value, grad_a, grad_b


@dataclass(frozen=True)
class _Coded:
    """Answers coded for fast E-steps without BLAS (whose threads contend on a shared
    machine): a row index into the stacked log-probabilities per answer (missing answers
    point at a row of zeros) and, per item and category, the respondents who gave it."""

    index: npt.NDArray[np.int64]
    """Respondents × items: ``item · K + category``, or ``items · K`` when missing."""
    chosen: tuple[tuple[npt.NDArray[np.int64], ...], ...]
    """[item][category] -> rows of the respondents who gave that answer."""
    categories: int
    """K."""


def _code(x: FloatArray, categories: int) -> _Coded:
    n_items = x.shape[1]
    missing = np.isnan(x)
    values = np.where(missing, 0, x).astype(np.int64)
    index = np.where(missing, n_items * categories, np.arange(n_items) * categories + values)
    chosen = tuple(
        tuple(np.flatnonzero(~missing[:, j] & (values[:, j] == k)) for k in range(categories))
        for j in range(n_items)
    )
    return _Coded(index=index, chosen=chosen, categories=categories)


def _log_probs(a: FloatArray, b: FloatArray, nodes: FloatArray) -> FloatArray:
    """(items·K + 1) × nodes: log P(X_j = k | θ_q) stacked, then a row of zeros."""
    rows = [
        np.log(np.maximum(category_probabilities(GrmItem(float(a[j]), tuple(b[j])), nodes), 1e-300))
        for j in range(a.size)
    ]
    return np.concatenate([*(row.T for row in rows), np.zeros((1, nodes.size))], axis=0)


def _posterior_counts(
    a: FloatArray, b: FloatArray, coded: _Coded, nodes: FloatArray, log_prior: FloatArray
) -> tuple[FloatArray, float]:
    """E-step: expected answers per item, node and category (items × nodes × K) and the
    marginal log-likelihood."""
    log_joint = _log_probs(a, b, nodes)[coded.index].sum(axis=1) + log_prior
    peak = log_joint.max(axis=1, keepdims=True)
    joint = np.exp(log_joint - peak)
    total = joint.sum(axis=1, keepdims=True)
    loglik = float(np.sum(np.log(total) + peak))
    post = joint / total  # N × Q
    counts = np.zeros((a.size, nodes.size, coded.categories))
    for j, by_category in enumerate(coded.chosen):
        for k, rows in enumerate(by_category):
            if rows.size:
                counts[j, :, k] = post[rows].sum(axis=0)
    return counts, loglik


def _marginal_score(
    a: FloatArray, b: FloatArray, y: _Coded, nodes: FloatArray, log_prior: FloatArray
) -> FloatArray:
    """Gradient of the marginal log-likelihood in (a, b), flattened per item (Fisher's
    identity: the expected complete-data score under the posterior at these parameters)."""
    counts, _ = _posterior_counts(a, b, y, nodes, log_prior)
    _, grad_a, grad_b = _expected_loglik_and_grad(a, b, nodes, counts)
    return np.concatenate([grad_a[:, None], grad_b], axis=1).ravel()


def _starting_values(x: FloatArray, k: int) -> tuple[FloatArray, FloatArray]:
    """a = 1; thresholds from the cumulative answer proportions (logit scale, widened for
    the attenuation a latent N(0, 1) causes)."""
    n_items = x.shape[1]
    a = np.ones(n_items)
    b = np.zeros((n_items, k - 1))
    for j in range(n_items):
        col = x[:, j][~np.isnan(x[:, j])]
        for c in range(1, k):
            share = np.clip(np.mean(col >= c), 0.01, 0.99)
            b[j, c - 1] = -math.log(share / (1 - share)) * 1.3
        b[j] = np.maximum.accumulate(b[j] + np.arange(k - 1) * 1e-3)
    return a, b


def check_identified(
    item_ids: Sequence[str], responses: npt.ArrayLike, categories: int
) -> tuple[int, list[str]]:
    """Raise :class:`IrtError` when the trait cannot be calibrated; else the number of
    respondents with any answer and the warnings (small sample, sparse categories)."""
    x = np.asarray(responses, dtype=np.float64)
    any_answer = ~np.all(np.isnan(x), axis=1)
    n = int(any_answer.sum())
    problems: list[str] = []
    warnings: list[str] = []
    if n < MIN_RESPONDENTS:
        raise IrtError(
            f"{n} respondents answered the items; the graded response model needs at least "
            f"{MIN_RESPONDENTS} (better {RECOMMENDED_RESPONDENTS}) to estimate "
            f"{len(item_ids)} discriminations and {len(item_ids) * (categories - 1)} thresholds"
        )
    if n < RECOMMENDED_RESPONDENTS:
        warnings.append(
            f"only {n} respondents (fewer than {RECOMMENDED_RESPONDENTS}): thresholds are "
            "imprecise; read the standard errors"
        )
    for column, item_id in enumerate(item_ids):
        col = x[:, column][~np.isnan(x[:, column])]
        counts = np.bincount(col.astype(np.int64), minlength=categories)
        empty = [str(c) for c in range(categories) if counts[c] < MIN_CATEGORY_COUNT]
        if empty:
            problems.append(
                f"item {item_id} has no answers in categor{'y' if len(empty) == 1 else 'ies'} "
                f"{', '.join(empty)} (0 = the lowest answer after reverse keying)"
            )
        sparse = [str(c) for c in range(categories) if 0 < counts[c] < SPARSE_CATEGORY_COUNT]
        if sparse:
            warnings.append(
                f"item {item_id}: fewer than {SPARSE_CATEGORY_COUNT} answers in category "
                f"{', '.join(sparse)}; its threshold is imprecise"
            )
    if problems:
        raise IrtError(
            "; ".join(problems)
            + ": a threshold next to an empty category is not identified. repfit does not "
            "collapse categories (the parameters must describe the scale as printed); "
            "calibrate on a larger or more varied sample"
        )
    return n, warnings


def fit_grm(
    item_ids: Sequence[str],
    responses: npt.ArrayLike,
    categories: int,
    *,
    tolerance: float = EM_TOLERANCE,
    max_iterations: int = EM_MAX_ITERATIONS,
) -> GrmFit:
    """Calibrate one trait's items by marginal maximum likelihood (EM).

    ``responses`` is respondents × items, categories 0 … ``categories`` − 1 (reverse-keyed
    items already reversed), NaN = not answered; respondents with no answer are left out.
    Raises :class:`IrtError` when the trait is not identified (see :func:`check_identified`).
    """
    from scipy.optimize import minimize

    x = np.asarray(responses, dtype=np.float64)
    if x.ndim != 2 or x.shape[1] != len(item_ids):
        raise ValueError(f"responses must be respondents × {len(item_ids)} items")
    if len(item_ids) < 2:
        raise IrtError("a trait needs at least two items for a graded response model")
    n, warnings = check_identified(item_ids, x, categories)
    x = x[~np.all(np.isnan(x), axis=1)]
    y = _code(x, categories)
    nodes, prior = quadrature()
    log_prior = np.log(prior)
    a, b = _starting_values(x, categories)
    n_items, n_thr = a.size, categories - 1

    converged = False
    change = math.inf
    iteration = 0
    for iteration in range(1, max_iterations + 1):  # noqa: B007 (reported below)
        counts, _ = _posterior_counts(a, b, y, nodes, log_prior)

        def objective(vector: FloatArray, counts: FloatArray = counts) -> tuple[float, FloatArray]:
            a_, b_ = _unpack(vector, n_items, n_thr)
            value, grad_a, grad_b = _expected_loglik_and_grad(a_, b_, nodes, counts)
            # chain rule to the working parameters (log a, b_1, log gaps)
            g = np.zeros((n_items, 1 + n_thr))
            g[:, 0] = grad_a * a_
            tail = np.cumsum(grad_b[:, ::-1], axis=1)[:, ::-1]  # Σ_{c ≥ m} dℓ/db_c
            g[:, 1] = tail[:, 0]
            g[:, 2:] = tail[:, 1:] * np.diff(b_, axis=1)
            return -value / n, -g.ravel() / n

        result = minimize(objective, _pack(a, b), jac=True, method="BFGS", options={"gtol": 1e-9})
        new_a, new_b = _unpack(result.x, n_items, n_thr)
        change = float(max(np.max(np.abs(new_a - a)), np.max(np.abs(new_b - b))))
        a, b = new_a, new_b
        if not np.all(np.isfinite(a)) or np.max(a) > MAX_DISCRIMINATION:
            break
        if change < tolerance:
            converged = True
            break

    _, loglik = _posterior_counts(a, b, y, nodes, log_prior)
    score = _marginal_score(a, b, y, nodes, log_prior)
    max_gradient = float(np.max(np.abs(score)) / n * 1000.0)
    se_a, se_b, positive = _standard_errors(a, b, y, nodes, log_prior)
    converged = (
        converged
        and positive
        and bool(np.all(np.isfinite(a)))
        and float(np.max(a)) <= MAX_DISCRIMINATION
    )
    fits: dict[str, ItemFit] = {}
    for j, item_id in enumerate(item_ids):
        col = x[:, j][~np.isnan(x[:, j])]
        counts_j = np.bincount(col.astype(np.int64), minlength=categories)
        fits[item_id] = ItemFit(
            a=float(a[j]),
            a_se=float(se_a[j]),
            b=tuple(float(v) for v in b[j]),
            b_se=tuple(float(v) for v in se_b[j]),
            n=int(col.size),
            counts=tuple(int(c) for c in counts_j),
        )
    grm = [GrmItem(a=float(a[j]), b=tuple(b[j])) for j in range(n_items)]
    info_theta = np.asarray(INFORMATION_THETA)
    return GrmFit(
        items=fits,
        loglik=loglik,
        converged=converged,
        iterations=iteration,
        max_change=change,
        max_gradient=max_gradient,
        n=n,
        warnings=tuple(warnings),
        information_theta=INFORMATION_THETA,
        information=tuple(float(v) for v in test_information(grm, info_theta)),
    )


def _standard_errors(
    a: FloatArray, b: FloatArray, y: _Coded, nodes: FloatArray, log_prior: FloatArray
) -> tuple[FloatArray, FloatArray, bool]:
    """Standard errors from the observed information: the negative Jacobian of the exact
    marginal score, by central differences (step 1e-4 relative), symmetrised and inverted.
    Returns (se of a, se of b, whether the information was positive definite)."""
    n_items, n_thr = b.shape
    base = np.concatenate([a[:, None], b], axis=1).ravel()
    p = base.size
    hessian = np.zeros((p, p))
    for index in range(p):
        step = 1e-4 * max(1.0, abs(base[index]))
        plus = base.copy()
        minus = base.copy()
        plus[index] += step
        minus[index] -= step
        rows_plus = plus.reshape(n_items, 1 + n_thr)
        rows_minus = minus.reshape(n_items, 1 + n_thr)
        g_plus = _marginal_score(rows_plus[:, 0], rows_plus[:, 1:], y, nodes, log_prior)
        g_minus = _marginal_score(rows_minus[:, 0], rows_minus[:, 1:], y, nodes, log_prior)
        hessian[:, index] = (g_plus - g_minus) / (2 * step)
    information = -(hessian + hessian.T) / 2
    try:
        np.linalg.cholesky(information)
        positive = True
        covariance = np.linalg.inv(information)
        se = np.sqrt(np.maximum(np.diag(covariance), 0.0))
    except np.linalg.LinAlgError:
        positive = False
        se = np.full(p, np.nan)
    rows = se.reshape(n_items, 1 + n_thr)
    return rows[:, 0], rows[:, 1:], positive


# ------------------------------------------------------------------ simulation


def simulate_responses(
    items: Sequence[GrmItem], theta: npt.ArrayLike, rng: np.random.Generator
) -> npt.NDArray[np.int64]:
    """Draw graded responses (categories 0 … K−1) for each θ and item (respondents × items)."""
    t = np.asarray(theta, dtype=np.float64)
    out = np.zeros((t.size, len(items)), dtype=np.int64)
    for column, item in enumerate(items):
        star = expit(item.a * (t[:, None] - np.asarray(item.b)))
        u = rng.random(t.size)
        out[:, column] = np.sum(u[:, None] < star, axis=1)
    return out


# ------------------------------------------------------------------ per-trait helpers


def theta_to_t(theta: npt.ArrayLike) -> FloatArray:
    """T = 50 + 10 θ (θ is standard normal in the calibration sample)."""
    return 50.0 + 10.0 * np.asarray(theta, dtype=np.float64)


def theta_percentile(theta: npt.ArrayLike) -> FloatArray:
    """Percentile rank of θ in the calibration population (normal), 0–100."""
    percentile: FloatArray = 100.0 * np.exp(log_ndtr(np.asarray(theta, dtype=np.float64)))
    return percentile
