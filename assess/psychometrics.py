"""Reliability, careless responding, fairness and norms for a sample of respondents.

Pure numerical code: arrays in, frozen dataclasses out; no files, no terminal.
Every function is vectorised over respondents (rows) and items (columns); a
response matrix holds floats with ``NaN`` for an unanswered item. Reverse-keyed
items must already be reversed (``assess.scoring.keyed_likert_matrix``).

The reference implementations are R's ``psych`` (``alpha``, ``omega``, ``fa``,
``outlier``), R's ``careless`` (``evenodd``, ``psychsyn``, ``mahad``) and
Python's ``pingouin`` (``cronbach_alpha``, ``compute_effsize``,
``compute_esci``); each function says which one it reproduces and where it
deliberately differs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from scipy import special

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
MissingPolicy = Literal["pairwise", "listwise"]

MAX_COMMUNALITY = 0.995
"""Largest communality (squared loading) the one-factor fit may reach.

psych's ``fa`` bounds every uniqueness at 0.005 or more (``lower = .005`` in its
``optim`` call); repfit uses the same bound, so Heywood cases stop at 0.995."""

WEAK_ITEM_R_DROP = 0.20
"""Corrected item-total correlation below which an item is flagged as weak.

Unitless. Source: the common rule of thumb for item analysis (Nunnally &
Bernstein, *Psychometric Theory*, 1994; also psych's documentation); issue 6."""

LOW_ALPHA = 0.70
"""Cronbach's alpha below which a trait is flagged as not reliable enough.

Unitless. Source: Nunnally (1978), the usual minimum for research use."""

FOUR_FIFTHS = 0.8
"""Selection-rate ratio below which adverse impact is flagged.

Unitless. Source: the four-fifths rule of the US Uniform Guidelines on Employee
Selection Procedures, 29 CFR 1607.4(D)."""

PERCENTILE_RANKS: tuple[int, ...] = tuple(range(1, 100))
"""Percentile ranks stored in a norms table: every whole rank from 1 to 99."""


# --------------------------------------------------------------------------
# Covariances and correlations with missing answers
# --------------------------------------------------------------------------


def _as_matrix(matrix: npt.ArrayLike) -> FloatArray:
    array = np.asarray(matrix, dtype=np.float64)
    if array.ndim != 2:
        raise ValueError(f"expected a respondents × items matrix, got {array.ndim} dimension(s)")
    return array


def _pairwise_moments(
    matrix: FloatArray, *, with_squares: bool = True
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray, FloatArray]:
    """Pair counts, pairwise sums of x_i, of x_i², and of x_i·x_j (shift-stabilised).

    ``with_squares=False`` skips the sums of squares (returned as an empty array): the
    covariance does not need them, and each is a respondents × items matrix product."""
    observed = ~np.isnan(matrix)
    shift = np.where(observed.any(axis=0), np.nanmean(np.where(observed, matrix, 0.0), axis=0), 0.0)
    # The column means of the observed values reduce cancellation; shifts do not change
    # (co)variances.
    centred = np.where(observed, matrix - shift, 0.0)
    mask = observed.astype(np.float64)
    counts = mask.T @ mask
    sums = centred.T @ mask  # [i, j] = sum of x_i over rows where i and j are both answered
    squares = (centred * centred).T @ mask if with_squares else np.empty((0, 0))
    products = centred.T @ centred
    return counts, sums, squares, products, shift


def pairwise_covariance(matrix: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Covariance matrix from pairwise-complete answers, and the pair counts.

    Entry (i, j) uses the respondents who answered both items, with their own
    means (R's ``cov(x, use = "pairwise")``, pandas' ``DataFrame.cov``). Entries
    with fewer than two such respondents are ``NaN``.
    """
    counts, sums, _, products, _ = _pairwise_moments(_as_matrix(matrix), with_squares=False)
    return _covariance_from_moments(counts, sums, products), counts


def _covariance_from_moments(
    counts: FloatArray, sums: FloatArray, products: FloatArray
) -> FloatArray:
    with np.errstate(invalid="ignore", divide="ignore"):
        cov: FloatArray = (products - sums * sums.T / counts) / (counts - 1.0)
    cov[counts < 2] = np.nan
    return cov


def pairwise_correlation(matrix: npt.ArrayLike) -> FloatArray:
    """Correlation matrix from pairwise-complete answers (R's ``cor(x, use = "pairwise")``).

    Each r(i, j) uses only the respondents who answered both items, for the
    covariance and for both standard deviations. ``NaN`` where undefined.
    """
    counts, sums, squares, products, _ = _pairwise_moments(_as_matrix(matrix))
    return _correlation_from_moments(counts, sums, squares, products)


def _correlation_from_moments(
    counts: FloatArray, sums: FloatArray, squares: FloatArray, products: FloatArray
) -> FloatArray:
    with np.errstate(invalid="ignore", divide="ignore"):
        cov = products - sums * sums.T / counts
        var_i = squares - sums * sums / counts
        corr = cov / np.sqrt(var_i * var_i.T)
    # A variable that is constant over the pair's respondents has no correlation; the
    # relative tolerance absorbs the round-off of the sums.
    constant = var_i <= 1e-12 * np.maximum(squares, 1.0)
    corr[(counts < 2) | constant | constant.T] = np.nan
    np.fill_diagonal(corr, np.where(np.diag(constant) | (np.diag(counts) < 2), np.nan, 1.0))
    return np.clip(corr, -1.0, 1.0)


BLOCK_ROWS = 4096
"""Rows per block when a large sample is worked through in blocks of rows (count).

A block of 4,096 respondents × 140 items of float64 is 4.6 MB: its temporaries stay in the
processor's cache and reuse the same memory block after block, where whole-sample
temporaries (100 MB each at 100,000 respondents) cost more in page faults than in
arithmetic (issue 14). Every per-respondent figure is computed row by row, so the block
size does not change any result."""


@dataclass
class PairwiseSums:
    """Pairwise-complete moments of a sample's columns, added up block by block of rows.

    ``shift`` is subtracted from every answer first (any constant per column; the column
    means reduce cancellation and do not change (co)variances). Entry (i, j) of each sum
    covers the rows where items i and j were both answered, so the moments of any subset
    of columns are the matching sub-matrices (:meth:`take`)."""

    shift: FloatArray
    """Subtracted from each column's answers."""
    counts: FloatArray
    """[i, j]: rows with both i and j answered."""
    sums: FloatArray
    """[i, j]: sum of x_i − shift_i over those rows."""
    squares: FloatArray
    """[i, j]: sum of (x_i − shift_i)² over those rows."""
    products: FloatArray
    """[i, j]: sum of (x_i − shift_i)(x_j − shift_j) over those rows."""

    @classmethod
    def zeros(cls, shift: npt.ArrayLike) -> PairwiseSums:
        """No rows yet, for columns shifted by ``shift``."""
        centre = np.asarray(shift, dtype=np.float64)
        k = len(centre)
        return cls(centre, *(np.zeros((k, k)) for _ in range(4)))

    @classmethod
    def of(cls, rows: Callable[[int, int], FloatArray], n: int) -> PairwiseSums:
        """The moments of ``n`` rows, fetched block by block (``rows(start, stop)``), shifted
        by the observed column means (two passes over the rows)."""
        moments = cls.zeros(observed_means(rows, n))
        for start in range(0, n, BLOCK_ROWS):
            moments.add(rows(start, min(start + BLOCK_ROWS, n)))
        return moments

    def add(self, block: FloatArray) -> None:
        """Add the rows of ``block`` (rows × the same columns, ``NaN`` = unanswered)."""
        observed = ~np.isnan(block)
        centred = block - self.shift
        centred[~observed] = 0.0
        mask = observed.astype(np.float64)
        self.counts += mask.T @ mask
        self.sums += centred.T @ mask
        self.products += centred.T @ centred
        np.square(centred, out=centred)
        self.squares += centred.T @ mask

    def take(self, columns: Sequence[int] | npt.NDArray[np.intp]) -> PairwiseSums:
        """The moments of a subset of the columns."""
        chosen = np.asarray(columns, dtype=np.intp)
        index = np.ix_(chosen, chosen)
        return PairwiseSums(
            self.shift[chosen],
            self.counts[index],
            self.sums[index],
            self.squares[index],
            self.products[index],
        )

    def covariance(self) -> FloatArray:
        """The pairwise-complete covariance matrix (``NaN`` where fewer than two pairs)."""
        return _covariance_from_moments(self.counts, self.sums, self.products)

    def correlation(self) -> FloatArray:
        """The pairwise-complete correlation matrix (as :func:`pairwise_correlation`)."""
        return _correlation_from_moments(self.counts, self.sums, self.squares, self.products)

    def answered(self) -> IntArray:
        """Answers per column."""
        return np.diag(self.counts).astype(np.int64)

    def means(self) -> FloatArray:
        """Mean of each column's answers (``NaN`` without any)."""
        counts = np.diag(self.counts)
        with np.errstate(invalid="ignore", divide="ignore"):
            means: FloatArray = np.where(
                counts > 0, self.shift + np.diag(self.sums) / np.maximum(counts, 1.0), np.nan
            )
        return means

    def sds(self) -> FloatArray:
        """Standard deviation of each column's answers (n − 1; ``NaN`` below two answers)."""
        counts = np.diag(self.counts)
        sums = np.diag(self.sums)
        with np.errstate(invalid="ignore", divide="ignore"):
            spread = np.maximum(np.diag(self.squares) - sums * sums / counts, 0.0)
            sds: FloatArray = np.where(
                counts > 1, np.sqrt(spread / np.maximum(counts - 1.0, 1.0)), np.nan
            )
        return sds


def observed_means(rows: Callable[[int, int], FloatArray], n: int) -> FloatArray:
    """Each column's mean over its answers, 0 for a column without any, from ``n`` rows
    fetched block by block (``rows(start, stop)``)."""
    totals: FloatArray | None = None
    counts: FloatArray | None = None
    for start in range(0, max(n, 1), BLOCK_ROWS):  # no rows: one empty block, for the width
        block = rows(start, min(start + BLOCK_ROWS, n))
        observed = ~np.isnan(block)
        total = np.where(observed, block, 0.0).sum(axis=0)
        count = observed.sum(axis=0).astype(np.float64)
        totals = total if totals is None else totals + total
        counts = count if counts is None else counts + count
    assert totals is not None
    assert counts is not None
    means: FloatArray = np.divide(totals, counts, out=np.zeros(len(totals)), where=counts > 0)
    return means


def block_means(block: FloatArray) -> FloatArray:
    """Each column's mean over its answers in one block of rows, 0 for a column without any
    (a shift for :class:`PairwiseSums` that needs no pass of its own)."""
    return observed_means(lambda start, stop: block[start:stop], len(block))


def covariance_to_correlation(cov: FloatArray) -> FloatArray:
    """R's ``cov2cor``: divide by the square roots of the diagonal."""
    scale = np.sqrt(np.diag(cov))
    with np.errstate(invalid="ignore", divide="ignore"):
        corr = cov / np.outer(scale, scale)
    np.fill_diagonal(corr, 1.0)
    result: FloatArray = corr
    return result


def _complete_rows(matrix: FloatArray) -> FloatArray:
    return matrix[~np.isnan(matrix).any(axis=1)]


# --------------------------------------------------------------------------
# Cronbach's alpha, its Feldt interval, omega total
# --------------------------------------------------------------------------


def alpha_from_covariance(cov: FloatArray) -> float:
    """Cronbach's alpha k/(k−1) · (1 − trace(C)/sum(C)); ``NaN`` for fewer than two items."""
    k = cov.shape[0]
    total = float(cov.sum())
    if k < 2 or not total:
        return float("nan")
    return float(k / (k - 1) * (1.0 - np.trace(cov) / total))


def standardized_alpha(corr: FloatArray) -> float:
    """Standardised alpha k·r̄ / (1 + (k−1)·r̄) from a correlation matrix (psych's ``std.alpha``)."""
    k = corr.shape[0]
    if k < 2:
        return float("nan")
    return float(k / (k - 1) * (1.0 - k / corr.sum()))


def mean_inter_item_correlation(corr: FloatArray) -> float:
    """Mean of the off-diagonal correlations (psych's ``average_r``)."""
    k = corr.shape[0]
    if k < 2:
        return float("nan")
    return float((corr.sum() - np.trace(corr)) / (k * (k - 1)))


def chi2_sf(x: npt.ArrayLike, df: npt.ArrayLike) -> FloatArray:
    """``scipy.stats.chi2.sf(x, df)`` to the bit, without importing scipy.stats (about
    0.8 s): the same special function, 1 at and below 0, ``NaN`` for ``NaN`` (``df`` ≥ 1)."""
    values = np.asarray(x, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        inside = values > 0.0
        tail = special.chdtrc(df, np.where(inside, values, 1.0))
        result: FloatArray = np.where(inside, tail, np.where(np.isnan(values), np.nan, 1.0))
    return result


def feldt_interval(alpha: float, n: int, k: int, level: float = 0.95) -> tuple[float, float]:
    """Feldt, Woodruff & Salih (1987) confidence interval for coefficient alpha.

    lower = 1 − (1 − α)·F(1 − (1−level)/2; n−1, (n−1)(k−1)), upper likewise with
    F((1−level)/2); pingouin's ``cronbach_alpha`` formula (without its rounding
    to three decimals). ``NaN`` bounds when n < 2 or k < 2.
    """
    if n < 2 or k < 2 or not np.isfinite(alpha):
        return (float("nan"), float("nan"))
    df1 = n - 1
    df2 = df1 * (k - 1)
    tail = (1.0 - level) / 2.0
    # scipy.stats.f.isf(q, df1, df2) is fdtri(df1, df2, 1 − q); calling the special function
    # itself spares importing scipy.stats (about 0.8 s).
    lower = 1.0 - (1.0 - alpha) * special.fdtri(df1, df2, 1.0 - tail)
    upper = 1.0 - (1.0 - alpha) * special.fdtri(df1, df2, 1.0 - (1.0 - tail))
    return (float(lower), float(upper))


@dataclass(frozen=True)
class AlphaResult:
    """Cronbach's alpha of one scale."""

    alpha: float
    """Cronbach's alpha (raw, from covariances)."""
    ci95: tuple[float, float]
    """Feldt 95 % confidence interval (lower, upper)."""
    n: int
    """Respondents used: with at least one answer (pairwise) or complete (listwise)."""
    k: int
    """Items in the scale."""


def cronbach_alpha(
    matrix: npt.ArrayLike, missing: MissingPolicy = "pairwise", level: float = 0.95
) -> AlphaResult:
    """Cronbach's alpha with its Feldt interval, as pingouin's ``cronbach_alpha``.

    ``missing="pairwise"`` (the default of pingouin and psych) uses the
    pairwise-complete covariance matrix; ``"listwise"`` keeps only respondents
    who answered every item. The interval's degrees of freedom use n = the
    respondents actually used. With complete data this equals pingouin exactly;
    with listwise deletion pingouin (0.7) and psych keep the number of rows
    *before* deletion in the degrees of freedom, which overstates the
    precision — repfit uses the complete respondents instead. Rows with no
    answer at all are not counted.
    """
    data = _as_matrix(matrix)
    data = data[~np.isnan(data).all(axis=1)]
    if missing == "listwise":
        data = _complete_rows(data)
    k = data.shape[1]
    cov, _ = pairwise_covariance(data)
    alpha = alpha_from_covariance(cov)
    n = int(data.shape[0])
    return AlphaResult(alpha=alpha, ci95=feldt_interval(alpha, n, k, level), n=n, k=k)


@dataclass(frozen=True)
class OneFactorFit:
    """A one-factor minimum-residual (minres) factor analysis of a correlation matrix."""

    loadings: FloatArray
    """Loading of each item on the factor; the sign makes their sum positive (as psych)."""
    uniquenesses: FloatArray
    """1 − loading², the variance each item does not share with the factor."""
    residual_ss: float
    """Sum of the squared off-diagonal residuals R − λλᵀ at the solution (the objective)."""
    converged: bool
    """Whether the optimiser reported convergence."""


def minres_objective(loadings: FloatArray, corr: FloatArray) -> float:
    """Sum over i ≠ j of (r_ij − λ_i λ_j)²: the minres (unweighted least squares) criterion."""
    residual = corr - np.outer(loadings, loadings)
    np.fill_diagonal(residual, 0.0)
    return float(np.sum(residual * residual))


def _minres_gradient(loadings: FloatArray, corr: FloatArray) -> FloatArray:
    residual = corr - np.outer(loadings, loadings)
    np.fill_diagonal(residual, 0.0)
    gradient: FloatArray = -4.0 * residual @ loadings
    return gradient


def fit_one_factor(corr: FloatArray) -> OneFactorFit:
    """Minimum-residual one-factor fit, as psych's ``fa(r, nfactors = 1, fm = "minres")``.

    Minimises the sum of squared off-diagonal residuals of R − λλᵀ (psych's
    ``fit.residuals`` with ``fm = "minres"``) with L-BFGS-B, each communality
    λ² bounded by :data:`MAX_COMMUNALITY` as psych bounds the uniquenesses.
    Starts from the principal-axis loadings with squared multiple correlations
    on the diagonal. psych parametrises the search by the uniquenesses; at an
    interior optimum both parametrisations reach the same loadings.
    """
    corr = np.asarray(corr, dtype=np.float64)
    k = corr.shape[0]
    bound = float(np.sqrt(MAX_COMMUNALITY))
    start = _principal_axis_start(corr)
    found = _interior_newton(start, corr, bound)
    if found is None:
        from scipy import optimize  # imported only when needed (about 0.25 s)

        result = optimize.minimize(
            minres_objective,
            start,
            args=(corr,),
            jac=_minres_gradient,
            method="L-BFGS-B",
            bounds=[(-bound, bound)] * k,
            options={"ftol": 1e-16, "gtol": 1e-12, "maxiter": 10_000},
        )
        found = np.asarray(result.x, dtype=np.float64)
    loadings = _newton_polish(found, corr, bound)
    if loadings.sum() < 0:
        loadings = -loadings
    gradient = _minres_gradient(loadings, corr)
    at_bound = np.abs(loadings) >= bound - 1e-12
    pushing_out = np.sign(gradient) == -np.sign(loadings)
    stationary = np.where(at_bound & pushing_out, 0.0, gradient)
    return OneFactorFit(
        loadings=loadings,
        uniquenesses=1.0 - loadings**2,
        residual_ss=minres_objective(loadings, corr),
        converged=bool(np.max(np.abs(stationary)) < 1e-8),
    )


def _minres_hessian(loadings: FloatArray, corr: FloatArray) -> FloatArray:
    hessian: FloatArray = -4.0 * (corr - 2.0 * np.outer(loadings, loadings))
    squares = loadings**2
    np.fill_diagonal(hessian, 4.0 * (squares.sum() - squares))
    return hessian


def _principal_axis_start(corr: FloatArray) -> FloatArray:
    """Principal-axis loadings with squared multiple correlations on the diagonal, within
    the communality bound: where the minres search starts."""
    k = corr.shape[0]
    reduced = corr.copy()
    try:
        # A zero on the inverse's diagonal (a near-singular matrix) gives -inf: no
        # communality, clipped to 0 below.
        with np.errstate(divide="ignore"):
            smc = 1.0 - 1.0 / np.diag(np.linalg.inv(corr))
    except np.linalg.LinAlgError:
        smc = np.max(np.abs(corr - np.eye(k)), axis=0)
    np.fill_diagonal(reduced, np.clip(smc, 0.0, MAX_COMMUNALITY))
    values, vectors = np.linalg.eigh(reduced)
    bound = float(np.sqrt(MAX_COMMUNALITY))
    start: FloatArray = np.clip(vectors[:, -1] * np.sqrt(max(values[-1], 1e-6)), -bound, bound)
    return start


NEWTON_STEPS = 50
"""Most Newton steps :func:`fit_one_factor` takes from its start before it hands the fit
to L-BFGS-B (count); a typical scale's fit converges in five to ten."""


def _interior_newton(start: FloatArray, corr: FloatArray, bound: float) -> FloatArray | None:
    """The minres loadings by Newton's method from ``start`` with step halving, or ``None``
    when that does not converge inside the bounds (a Heywood case at the communality bound,
    a Hessian that is not positive definite on the way, no progress): :func:`fit_one_factor`
    then uses L-BFGS-B with the bounds. An interior minimum is where the gradient vanishes,
    whichever method finds it, so both give the same loadings (to round-off)."""
    loadings = start
    best = minres_objective(loadings, corr)
    for _ in range(NEWTON_STEPS):
        gradient = _minres_gradient(loadings, corr)
        if np.max(np.abs(gradient)) < 1e-10:
            return loadings if np.max(np.abs(loadings)) < bound else None
        try:
            step = np.linalg.solve(_minres_hessian(loadings, corr), gradient)
        except np.linalg.LinAlgError:
            return None
        if not float(gradient @ step) > 0.0:  # not a descent direction
            return None
        length = 1.0
        while True:
            candidate = loadings - length * step
            value = minres_objective(candidate, corr)
            if np.max(np.abs(candidate)) < bound and value <= best:
                break
            length /= 2.0
            if length < 1e-6:
                return None
        loadings, best = candidate, value
    return None


def _newton_polish(loadings: FloatArray, corr: FloatArray, bound: float) -> FloatArray:
    """A few Newton steps from the quasi-Newton solution, to machine precision (interior only)."""
    best = minres_objective(loadings, corr)
    for _ in range(20):
        gradient = _minres_gradient(loadings, corr)
        if np.max(np.abs(gradient)) < 1e-14:
            break
        try:
            step = np.linalg.solve(_minres_hessian(loadings, corr), gradient)
        except np.linalg.LinAlgError:
            break
        candidate = loadings - step
        value = minres_objective(candidate, corr)
        if np.max(np.abs(candidate)) > bound or not value <= best:
            break
        loadings, best = candidate, value
    return loadings


def omega_total(corr: FloatArray, fit: OneFactorFit | None = None) -> float:
    """McDonald's omega total from a one-factor minres fit, as psych's ``omega(m, nfactors = 1)``.

    psych (``omegah``): items with a negative loading are flipped (the
    correlation matrix is pre- and post-multiplied by the signs), then
    omega_t = (V_t − Σu²) / V_t with V_t the sum of all elements of the flipped
    correlation matrix and u² = 1 − λ². When the factor model fits exactly this
    equals (Σ|λ|)² / V_t. ``NaN`` for fewer than three items (one factor is not
    identified by two) or an incomplete correlation matrix.
    """
    corr = np.asarray(corr, dtype=np.float64)
    if corr.shape[0] < 3 or not np.isfinite(corr).all():
        return float("nan")
    fit = fit or fit_one_factor(corr)
    signs = np.where(fit.loadings < 0, -1.0, 1.0)
    total = float((signs[:, None] * corr * signs[None, :]).sum())
    return (total - float(fit.uniquenesses.sum())) / total


# --------------------------------------------------------------------------
# Item analysis of one scale
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemStatistics:
    """Statistics of one item within its scale."""

    item_id: str
    """The item."""
    n: int
    """Respondents who answered it."""
    mean: float
    """Mean answer (after reverse keying)."""
    sd: float
    """Standard deviation of the answers (n − 1 denominator)."""
    r_drop: float
    """Corrected item-total correlation: with the sum of the other items (psych's ``r.drop``)."""
    alpha_if_dropped: float
    """Cronbach's alpha of the scale without this item (``NaN`` when fewer than two remain)."""
    distribution: Mapping[int, int]
    """How many respondents gave each answer value (after reverse keying)."""
    no_variance: bool
    """True when everybody gave the same answer; the item is left out of the scale statistics."""

    @property
    def weak(self) -> bool:
        """Corrected item-total correlation below :data:`WEAK_ITEM_R_DROP`."""
        return bool(np.isfinite(self.r_drop) and self.r_drop < WEAK_ITEM_R_DROP)


@dataclass(frozen=True)
class ScaleReliability:
    """Reliability of one scale (trait) and the statistics of its items."""

    n: int
    """Respondents used (pairwise: with at least one answer; listwise: complete)."""
    n_items: int
    """Items analysed (items with no variance are left out)."""
    alpha: float
    """Cronbach's alpha."""
    alpha_ci95: tuple[float, float]
    """Feldt 95 % interval for alpha."""
    alpha_standardized: float
    """Standardised alpha, from the correlations implied by the covariance matrix (psych)."""
    omega_total: float
    """McDonald's omega total from a one-factor minres fit (psych's omega_t)."""
    mean_inter_item_r: float
    """Mean inter-item correlation (psych's ``average_r``)."""
    items: tuple[ItemStatistics, ...]
    """Every item of the scale, in the order given, including those left out."""
    warnings: tuple[str, ...] = field(default=())
    """Plain-language problems found (items with no variance, too few items, ...)."""

    @property
    def low_alpha(self) -> bool:
        """Alpha below :data:`LOW_ALPHA` (or not computable)."""
        return not (np.isfinite(self.alpha) and self.alpha >= LOW_ALPHA)


def answer_distribution(column: FloatArray, values: Sequence[int] | None) -> dict[int, int]:
    """How many answers of each value a column holds: every one of ``values`` (default: the
    values seen) first, then any other value seen, truncated to an integer."""
    answered = column[~np.isnan(column)]
    if values is None:
        values = sorted({int(v) for v in np.unique(answered)})
    counts = {int(v): 0 for v in values}
    found, found_counts = np.unique(answered, return_counts=True)
    for value, count in zip(found, found_counts, strict=True):
        counts[int(value)] = counts.get(int(value), 0) + int(count)
    return counts


def scale_reliability(
    matrix: npt.ArrayLike,
    item_ids: Sequence[str],
    *,
    missing: MissingPolicy = "pairwise",
    answer_values: Sequence[int] | None = None,
) -> ScaleReliability:
    """Alpha (with its interval), standardised alpha, omega total and item statistics.

    ``matrix`` holds one scale's keyed answers (respondents × items, ``NaN`` =
    unanswered); ``answer_values`` lists the possible answers for the
    distributions (default: the values seen). As psych's ``alpha``: items with
    no variance are left out with a warning; alpha, standardised alpha and the
    mean inter-item r come from the covariance matrix C (standardised through
    ``cov2cor(C)``), alpha-if-dropped from C without the item, r_drop =
    (Σ_j C_ij − C_ii) / √(C_ii · ΣC_without i). Omega uses the pairwise
    correlation matrix, as psych's ``omega``. Listwise: only complete
    respondents enter every statistic.
    """
    data = _as_matrix(matrix)
    if data.shape[1] != len(item_ids):
        raise ValueError(f"{data.shape[1]} columns but {len(item_ids)} item ids")
    data = data[~np.isnan(data).all(axis=1)]
    if missing == "listwise":
        data = _complete_rows(data)
    answered = (~np.isnan(data)).sum(axis=0)
    with np.errstate(invalid="ignore"):
        means = np.where(answered > 0, np.nansum(data, axis=0) / np.maximum(answered, 1), np.nan)
        sds = np.sqrt(
            np.where(
                answered > 1,
                np.nansum((data - means) ** 2, axis=0) / np.maximum(answered - 1, 1),
                np.nan,
            )
        )
    keep = _varying(means, sds)
    # pairwise_covariance and pairwise_correlation of the kept items, from one set of moments.
    counts, sums, squares, products, _ = _pairwise_moments(data[:, keep])
    return _scale_reliability(
        item_ids,
        int(data.shape[0]),
        answered,
        means,
        sds,
        keep,
        (counts, sums, squares, products),
        [answer_distribution(data[:, column], answer_values) for column in range(len(item_ids))],
    )


def scale_reliability_from_sums(
    moments: PairwiseSums,
    item_ids: Sequence[str],
    n: int,
    distributions: Sequence[Mapping[int, int]],
) -> ScaleReliability:
    """:func:`scale_reliability` (pairwise) from the scale's moments, added up block by
    block (:class:`PairwiseSums`, e.g. taken from those of every item of a questionnaire):
    the same statistics without another pass over the answers. ``n``: respondents with at
    least one answer to the scale; ``distributions``: each item's answer counts."""
    answered = moments.answered()
    means = moments.means()
    sds = moments.sds()
    keep = _varying(means, sds)
    kept = moments.take(np.flatnonzero(keep))
    return _scale_reliability(
        item_ids,
        n,
        answered,
        means,
        sds,
        keep,
        (kept.counts, kept.sums, kept.squares, kept.products),
        distributions,
    )


def _varying(means: FloatArray, sds: FloatArray) -> npt.NDArray[np.bool_]:
    """The items with variance (a relative tolerance: a constant column of non-integers
    can leave round-off in its sd)."""
    keep: npt.NDArray[np.bool_] = np.isfinite(sds) & (sds > 1e-12 * np.maximum(np.abs(means), 1.0))
    return keep


def _scale_reliability(
    item_ids: Sequence[str],
    n: int,
    answered: npt.NDArray[np.integer[Any]],
    means: FloatArray,
    sds: FloatArray,
    keep: npt.NDArray[np.bool_],
    moments: tuple[FloatArray, FloatArray, FloatArray, FloatArray],
    distributions: Sequence[Mapping[int, int]],
) -> ScaleReliability:
    """The statistics of :func:`scale_reliability` from the items' answer counts, means and
    sds, which of them vary, and the pairwise moments of those (counts, sums, squares,
    products)."""
    warnings: list[str] = []
    for index in map(int, np.flatnonzero(~keep)):
        item_id = item_ids[index]
        if answered[index] < 2:
            warnings.append(
                f"Item {item_id} has fewer than two answers and was left out of the scale "
                "statistics."
            )
        else:
            warnings.append(
                f"Item {item_id} has no variance (everybody answered {means[index]:g}) and was "
                "left out of alpha, omega and the item-total correlations."
            )
    counts, sums, squares, products = moments
    k = counts.shape[0]
    cov = _covariance_from_moments(counts, sums, products)
    alpha = alpha_from_covariance(cov)
    std_corr = covariance_to_correlation(cov)
    corr = _correlation_from_moments(counts, sums, squares, products)
    if k < 2:
        warnings.append(f"Only {k} item(s) with variance: alpha needs at least two.")
    elif not np.isfinite(cov).all():
        warnings.append("Some pairs of items were never answered together; alpha is undefined.")
    elif k < 3:
        warnings.append("Omega needs at least three items; it is left empty.")

    omega = float("nan")
    if k >= 3 and np.isfinite(corr).all():
        fit = fit_one_factor(corr)
        omega = omega_total(corr, fit)
        if not fit.converged:
            warnings.append("The one-factor fit behind omega did not converge; omega is rough.")

    r_drop = np.full(k, np.nan)
    alpha_dropped = np.full(k, np.nan)
    if k >= 2 and np.isfinite(cov).all():
        total = cov.sum()
        column_sums = cov.sum(axis=0)
        diagonal = np.diag(cov)
        rest_total = total - 2.0 * column_sums + diagonal
        with np.errstate(invalid="ignore", divide="ignore"):
            r_drop = (column_sums - diagonal) / np.sqrt(diagonal * rest_total)
        if k >= 3:
            rest_trace = np.trace(cov) - diagonal
            alpha_dropped = (k - 1) / (k - 2) * (1.0 - rest_trace / rest_total)

    items: list[ItemStatistics] = []
    kept_index = np.cumsum(keep) - 1
    for column, item_id in enumerate(item_ids):
        inside = bool(keep[column])
        position = int(kept_index[column])
        items.append(
            ItemStatistics(
                item_id=item_id,
                n=int(answered[column]),
                mean=float(means[column]),
                sd=float(sds[column]),
                r_drop=float(r_drop[position]) if inside else float("nan"),
                alpha_if_dropped=float(alpha_dropped[position]) if inside else float("nan"),
                distribution=distributions[column],
                no_variance=not inside,
            )
        )
    return ScaleReliability(
        n=n,
        n_items=k,
        alpha=alpha,
        alpha_ci95=feldt_interval(alpha, n, k),
        alpha_standardized=standardized_alpha(std_corr) if np.isfinite(cov).all() else np.nan,
        omega_total=omega,
        mean_inter_item_r=(
            mean_inter_item_correlation(std_corr) if np.isfinite(cov).all() else np.nan
        ),
        items=tuple(items),
        warnings=tuple(warnings),
    )


# --------------------------------------------------------------------------
# Careless responding: indices that need the sample, and two per-person ones
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class CarelessThresholds:
    """Cut-offs for the careless-responding indices computed here; override any of them."""

    even_odd_min: float = 0.30
    """Even-odd consistency below this is flagged (unitless, −1…1).

    Source: Johnson (2005), *J. Research in Personality* 39, 103–129, who
    treated protocols below .30 as too inconsistent to interpret."""
    mahalanobis_p: float = 0.001
    """A Mahalanobis D² whose chi-square p-value is below this is flagged.

    Source: Tabachnick & Fidell, *Using Multivariate Statistics* — p < .001 for
    multivariate outliers (careless' ``mahad`` uses a 0.99 confidence level)."""
    synonym_min: float = -0.30
    """Synonym consistency below this is flagged (unitless, −1…1).

    Modelling assumption: item pairs written to agree should correlate positively
    within a person. With a dozen pairs the correlation's standard error is about
    0.3 even for an attentive respondent whose traits are all alike, so only a
    clearly negative value (one standard error below zero) is flagged."""
    min_pairs: int = 3
    """Fewest complete consistency pairs for a synonym correlation (careless: more than two)."""


def _rowwise_pearson(x: FloatArray, y: FloatArray) -> FloatArray:
    """Pearson r per row over the columns where both x and y are present (``NaN`` if undefined)."""
    both = ~(np.isnan(x) | np.isnan(y))
    count = both.sum(axis=1)
    safe_count = np.maximum(count, 1)
    x0 = np.where(both, x, 0.0)
    y0 = np.where(both, y, 0.0)
    mean_x = x0.sum(axis=1) / safe_count
    mean_y = y0.sum(axis=1) / safe_count
    dx = np.where(both, x0 - mean_x[:, None], 0.0)
    dy = np.where(both, y0 - mean_y[:, None], 0.0)
    sxy = (dx * dy).sum(axis=1)
    sxx = (dx * dx).sum(axis=1)
    syy = (dy * dy).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        r = sxy / np.sqrt(sxx * syy)
    # Round-off can make a constant vector look barely variable: treat it as constant.
    scale = np.maximum(np.maximum(np.abs(x0).max(axis=1), np.abs(y0).max(axis=1)), 1.0)
    tiny = (sxx <= 1e-12 * scale**2) | (syy <= 1e-12 * scale**2) | (count < 2)
    r[tiny] = np.nan
    clipped: FloatArray = np.clip(r, -1.0, 1.0)
    return clipped


MIN_EVEN_ODD_TRAITS = 3
"""Fewest traits with both halves for an even-odd correlation (count): with two points a
correlation is always ±1 (issue 12)."""


def even_odd_consistency(matrix: npt.ArrayLike, scales: Sequence[Sequence[int]]) -> FloatArray:
    """Even-odd consistency per respondent, as careless' ``evenodd`` (Johnson, 2005).

    ``scales`` lists, per trait, the column indices of its keyed items in
    questionnaire order. For each respondent and trait the items at positions
    2, 4, … (even) and 1, 3, … (odd) are averaged over the answered ones; the
    even and odd half-scores are correlated across traits (traits with both
    halves present), then Spearman–Brown corrected: 2r / (1 + r), floored at −1.
    Higher = more consistent. careless ≥ 1.2.0 returns the negative of this
    value (so that higher means more careless); repfit keeps Johnson's
    direction. ``NaN`` when fewer than three traits have both halves (with two,
    the correlation across traits is always ±1 and says nothing) or a half
    score does not vary across traits.
    """
    data = _as_matrix(matrix)
    if len(scales) < MIN_EVEN_ODD_TRAITS:
        raise ValueError(
            f"even-odd consistency needs at least {MIN_EVEN_ODD_TRAITS} traits (with two, the "
            "correlation of the half scores across traits is always ±1)"
        )
    even = np.full((data.shape[0], len(scales)), np.nan)
    odd = np.full((data.shape[0], len(scales)), np.nan)
    with np.errstate(invalid="ignore"):
        for position, columns in enumerate(scales):
            columns = list(columns)
            odd_part = data[:, columns[0::2]]
            even_part = data[:, columns[1::2]]
            if even_part.shape[1]:
                even[:, position] = _nanmean_rows(even_part)
            odd[:, position] = _nanmean_rows(odd_part)
    r = _rowwise_pearson(even, odd)
    both = (~np.isnan(even) & ~np.isnan(odd)).sum(axis=1)
    r[both < MIN_EVEN_ODD_TRAITS] = np.nan
    with np.errstate(invalid="ignore", divide="ignore"):
        corrected = 2.0 * r / (1.0 + r)
    return np.where(np.isnan(corrected), np.nan, np.maximum(corrected, -1.0))


def _nanmean_rows(block: FloatArray) -> FloatArray:
    count = (~np.isnan(block)).sum(axis=1)
    total = np.nansum(block, axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, total / np.maximum(count, 1), np.nan)


def synonym_consistency(
    matrix: npt.ArrayLike, pairs: Sequence[tuple[int, int]], min_pairs: int = 3
) -> FloatArray:
    """Psychometric-synonym consistency per respondent over declared item pairs.

    careless' ``psychsyn`` finds its pairs in the sample (items correlated
    above a critical value); repfit uses the questionnaire's declared
    consistency pairs (column indices of keyed items), so the index needs no
    sample. Per respondent: the Pearson correlation, across the pairs, between
    the first and the second item's answers, using pairs with both answered;
    ``NaN`` with fewer than ``min_pairs`` such pairs (careless: more than two)
    or no variance. careless retries a ``NaN`` with randomly swapped pairs;
    repfit does not (it stays deterministic).
    """
    data = _as_matrix(matrix)
    if not pairs:
        return np.full(data.shape[0], np.nan)
    first = data[:, [a for a, _ in pairs]]
    second = data[:, [b for _, b in pairs]]
    r = _rowwise_pearson(first, second)
    complete = (~(np.isnan(first) | np.isnan(second))).sum(axis=1)
    r[complete < min_pairs] = np.nan
    return r


@dataclass(frozen=True)
class MahalanobisResult:
    """Mahalanobis distances of the respondents from the sample centroid."""

    d2: FloatArray
    """Squared distance per respondent, never negative (``NaN`` for a respondent with no
    answer)."""
    p: FloatArray
    """Upper-tail chi-square p-value of D² with the respondent's own degrees of freedom."""
    df: int
    """Degrees of freedom of a complete respondent: the number of items (the rank of the
    covariance if singular)."""
    df_each: IntArray
    """Degrees of freedom per respondent: the items they answered (the rank of that part of
    the covariance); 0 for a respondent with no answer."""
    singular: bool
    """The covariance matrix was singular; a pseudo-inverse was used."""
    repaired: bool = False
    """The pairwise covariance matrix was not positive semi-definite (pairs answered by
    different people can disagree); its negative eigenvalues were set to 0 before use."""


def nearest_psd(cov: FloatArray) -> tuple[FloatArray, bool]:
    """``cov`` with negative eigenvalues set to 0 (the nearest positive semi-definite matrix
    in the Frobenius norm, Higham 1988), and whether anything changed. Eigenvalues below
    1e-10 × the largest count as round-off and are left alone."""
    symmetric = (cov + cov.T) / 2.0
    values, vectors = np.linalg.eigh(symmetric)
    tolerance = 1e-10 * max(float(np.abs(values).max()), 1e-300)
    if values.min() >= -tolerance:
        return symmetric, False
    clipped = np.maximum(values, 0.0)
    repaired: FloatArray = (vectors * clipped) @ vectors.T
    return (repaired + repaired.T) / 2.0, True


FEW_MISSING = 16
"""Most skipped items for which D² comes from the full inverse covariance (Schur complement);
respondents who skipped more are measured with their own block's inverse."""


def _few_missing_d2(
    precision: FloatArray,
    centred: FloatArray,
    answered: npt.NDArray[np.bool_],
    d2: FloatArray,
    df_each: IntArray,
    slow: npt.NDArray[np.bool_],
) -> None:
    """D² of every respondent who skipped at most :data:`FEW_MISSING` items, in place.

    With P = S⁻¹ (``precision``, S of full rank) and a respondent's skipped items m, the
    inverse of the answered block is P_oo − P_om P_mm⁻¹ P_mo (Schur complement), so
    D² = x̃ᵀP x̃ − z_mᵀ P_mm⁻¹ z_m with x̃ the centred answers (0 where skipped) and
    z = P x̃: one matrix product for everyone and an m × m solve per respondent, instead
    of inverting a k × k block per answer pattern (tens of thousands of patterns at
    100,000 respondents). Every principal block of a positive definite S is positive
    definite, so df is the number of answered items, as the block's rank would be.
    Marks the respondents it measured as not ``slow``.
    """
    k = precision.shape[0]
    filled = np.where(answered, centred, 0.0)
    z = filled @ precision
    full = np.einsum("ij,ij->i", z, filled)
    missing = k - answered.sum(axis=1)
    for count in np.unique(missing):
        if count >= k or count > FEW_MISSING:
            continue
        rows = np.flatnonzero(missing == count)
        if count == 0:
            d2[rows] = np.maximum(full[rows], 0.0)
        else:
            # The skipped items' columns first (False sorts before True), in item order.
            skipped = np.argsort(answered[rows], axis=1, kind="stable")[:, :count]
            block = precision[skipped[:, :, None], skipped[:, None, :]]
            zm = np.take_along_axis(z[rows], skipped, axis=1)
            solved = np.linalg.solve(block, zm[:, :, None])[:, :, 0]
            d2[rows] = np.maximum(full[rows] - np.einsum("ij,ij->i", zm, solved), 0.0)
        df_each[rows] = k - count
        slow[rows] = False


def mahalanobis(matrix: npt.ArrayLike) -> MahalanobisResult:
    """Mahalanobis D² with a chi-square p-value, as psych's ``outlier`` / careless' ``mahad``.

    D² = (x − m)ᵀ S⁻¹ (x − m) with S the pairwise-complete covariance and m the
    item means. A respondent who skipped items is measured on the items answered
    only (x_o and the matching block S_oo of S) and tested against a chi-square
    with that many degrees of freedom, not the full number (psych's ``outlier``
    instead counts a skip as the item mean and keeps the full df, which
    understates D² for people who skip). The p-value uses the number of items as
    degrees of freedom, like psych's ``outlier`` and careless' ``mahad`` since
    careless 1.2.1 (careless 1.2.0 used the number of respondents, reverted in
    2021). A pairwise covariance that is not positive semi-definite is repaired
    by :func:`nearest_psd` (``repaired``), so D² is never negative; a singular
    one (e.g. duplicated items) uses the pseudo-inverse and df = its rank.
    """
    data = _as_matrix(matrix)

    def rows(start: int, stop: int) -> FloatArray:
        return data[start:stop]

    return mahalanobis_from_sums(PairwiseSums.of(rows, len(data)), rows, len(data))


def mahalanobis_from_sums(
    moments: PairwiseSums,
    rows: Callable[[int, int], FloatArray],
    n: int,
) -> MahalanobisResult:
    """:func:`mahalanobis` of ``n`` respondents from the items' pairwise moments
    (:class:`PairwiseSums`) and the answers, fetched block by block of rows:
    ``rows(start, stop)`` gives rows ``start`` to ``stop`` (respondents × the same items),
    so no whole-sample temporary is made. Raises ``ValueError`` when some pair of items was
    never answered together."""
    cov = moments.covariance()
    k = cov.shape[0]
    if not np.isfinite(cov).all():
        raise ValueError("some pairs of items were never answered together")
    cov, repaired = nearest_psd(cov)
    rank = int(np.linalg.matrix_rank(cov, hermitian=True))
    singular = rank < k
    means = moments.means()
    precision = None if singular else np.asarray(np.linalg.inv(cov), dtype=np.float64)
    d2 = np.full(n, np.nan)
    df_each = np.zeros(n, dtype=np.int64)
    slow_rows: list[IntArray] = []
    slow_centred: list[FloatArray] = []
    for start in range(0, n, BLOCK_ROWS):
        block = rows(start, min(start + BLOCK_ROWS, n))
        answered = ~np.isnan(block)
        centred = block - means
        slow = np.ones(len(block), dtype=bool)
        if precision is not None:
            _few_missing_d2(
                precision,
                centred,
                answered,
                d2[start : start + len(block)],
                df_each[start : start + len(block)],
                slow,
            )
        if slow.any():
            slow_rows.append(start + np.flatnonzero(slow))
            slow_centred.append(centred[slow])
    if slow_rows:
        _pattern_d2(cov, np.concatenate(slow_rows), np.concatenate(slow_centred), d2, df_each)
    with np.errstate(invalid="ignore"):
        p = np.where(df_each > 0, chi2_sf(d2, np.maximum(df_each, 1)), np.nan)
    return MahalanobisResult(
        d2=d2,
        p=p,
        df=rank,
        df_each=df_each,
        singular=singular,
        repaired=repaired,
    )


def _pattern_d2(
    cov: FloatArray, rows: IntArray, centred: FloatArray, d2: FloatArray, df_each: IntArray
) -> None:
    """D² of the respondents ``rows`` (``centred``: their answers less the item means, NaN
    where skipped) from the inverse of the covariance block of each answer pattern, in
    place; df = the block's rank. For respondents who skipped many items, or a singular
    covariance."""
    answered = ~np.isnan(centred)
    patterns, which = np.unique(answered, axis=0, return_inverse=True)
    for number, pattern in enumerate(patterns):
        if not pattern.any():
            continue
        mine = which.ravel() == number
        block = cov[np.ix_(pattern, pattern)]
        block_rank = int(np.linalg.matrix_rank(block, hermitian=True))
        inverse = (
            np.linalg.inv(block)
            if block_rank == block.shape[0]
            else np.linalg.pinv(block, hermitian=True)
        )
        x = centred[np.ix_(np.flatnonzero(mine), np.flatnonzero(pattern))]
        d2[rows[mine]] = np.maximum(np.einsum("ij,ij->i", x @ inverse, x), 0.0)
        df_each[rows[mine]] = block_rank


# --------------------------------------------------------------------------
# Fairness
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class MeanDifference:
    """Standardised mean difference between two groups on one score."""

    group_a: str
    """First group (the difference is a − b)."""
    group_b: str
    """Second group."""
    n_a: int
    """Respondents with a score in group a."""
    n_b: int
    """Respondents with a score in group b."""
    mean_a: float
    """Mean score in group a."""
    mean_b: float
    """Mean score in group b."""
    cohen_d: float
    """(mean_a − mean_b) / pooled sd (both sds with n − 1)."""
    hedges_g: float
    """Cohen's d × (1 − 3 / (4(n_a + n_b) − 9)): small-sample corrected."""
    g_ci95: tuple[float, float]
    """95 % interval for g: g ± t(0.975, n_a + n_b − 2) · SE,
    SE² = (n_a + n_b)/(n_a n_b) + g²/(2(n_a + n_b))."""


def mean_difference(
    a: npt.ArrayLike, b: npt.ArrayLike, group_a: str = "a", group_b: str = "b", level: float = 0.95
) -> MeanDifference:
    """Cohen's d and Hedges' g between two groups with a confidence interval.

    Matches pingouin's ``compute_effsize(eftype="cohen" | "hedges")`` and
    ``compute_esci`` (Hedges & Olkin 1985 normal-approximation standard error
    with a t critical value). Missing scores (``NaN``) are ignored; ``NaN``
    results when a group has fewer than two scores or both have no variance.
    """
    x = np.asarray(a, dtype=np.float64)
    y = np.asarray(b, dtype=np.float64)
    x = x[~np.isnan(x)]
    y = y[~np.isnan(y)]
    nx, ny = int(x.size), int(y.size)
    nan = float("nan")
    if nx < 2 or ny < 2:
        return MeanDifference(group_a, group_b, nx, ny, _mean(x), _mean(y), nan, nan, (nan, nan))
    pooled = np.sqrt(((nx - 1) * x.var(ddof=1) + (ny - 1) * y.var(ddof=1)) / (nx + ny - 2))
    with np.errstate(invalid="ignore", divide="ignore"):
        d = float((x.mean() - y.mean()) / pooled) if pooled > 0 else nan
    g = d * (1.0 - 3.0 / (4.0 * (nx + ny) - 9.0))
    se = np.sqrt((nx + ny) / (nx * ny) + g**2 / (2.0 * (nx + ny)))
    # scipy.stats.t.ppf(q, df) is stdtrit(df, q), without importing scipy.stats.
    crit = float(special.stdtrit(nx + ny - 2, 1.0 - (1.0 - level) / 2.0))
    return MeanDifference(
        group_a, group_b, nx, ny, float(x.mean()), float(y.mean()), d, g,
        (float(g - crit * se), float(g + crit * se)),
    )  # fmt: skip


def _mean(values: FloatArray) -> float:
    return float(values.mean()) if values.size else float("nan")


@dataclass(frozen=True)
class GroupSelection:
    """Selection at a fit threshold within one group."""

    group: str
    """Group label."""
    n: int
    """Respondents in the group with a fit value."""
    selected: int
    """Of those, how many reach the threshold."""
    rate: float
    """selected / n."""
    ratio: float
    """rate / the highest group rate (1 for the highest group; ``NaN`` if no one is selected)."""
    adverse_impact: bool
    """ratio below :data:`FOUR_FIFTHS`: the four-fifths rule is broken for this group."""


def selection_rates(
    fit: npt.ArrayLike, groups: Sequence[str], threshold: float
) -> tuple[GroupSelection, ...]:
    """Selection rate per group at ``fit >= threshold`` and its ratio to the highest rate.

    Any number of groups: each is compared with the group whose rate is
    highest (US Uniform Guidelines, 29 CFR 1607.4(D)). Respondents without a fit
    (``NaN``) are left out. Groups are returned sorted by label.
    """
    values = np.asarray(fit, dtype=np.float64)
    labels = np.asarray(list(groups), dtype=object)
    if labels.shape != values.shape:
        raise ValueError("one group label per fit value is needed")
    present = ~np.isnan(values)
    rows: list[tuple[str, int, int, float]] = []
    for label in sorted({str(g) for g in labels[present]}):
        in_group = present & (labels == label)
        n = int(in_group.sum())
        selected = int((values[in_group] >= threshold).sum())
        rows.append((label, n, selected, selected / n))
    best = max((rate for *_, rate in rows), default=0.0)
    return tuple(
        GroupSelection(
            group=label,
            n=n,
            selected=selected,
            rate=rate,
            ratio=rate / best if best > 0 else float("nan"),
            adverse_impact=bool(best > 0 and rate / best < FOUR_FIFTHS),
        )
        for label, n, selected, rate in rows
    )


# --------------------------------------------------------------------------
# Norms
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class NormStatistics:
    """Local norms of one trait's raw score."""

    mean: float
    """Mean raw score."""
    sd: float
    """Standard deviation (n − 1 denominator)."""
    n: int
    """Respondents with a score."""
    percentiles: Mapping[int, float]
    """Raw score at each percentile rank 1–99 (numpy's default linear interpolation,
    R's type 7)."""


def build_norms(
    raw_scores: npt.ArrayLike,
    trait_ids: Sequence[str],
    exclude: npt.ArrayLike | None = None,
) -> dict[str, NormStatistics]:
    """Mean, sd, n and percentile table per trait from raw scores (respondents × traits).

    ``exclude`` marks respondents to leave out (by default the caller passes
    the careless flags). Missing scores (``NaN``, e.g. insufficient answers) are
    ignored per trait. Raises ``ValueError`` naming the trait when fewer than
    two scores remain or they do not vary, because such norms cannot give a z.
    """
    scores = _as_matrix(raw_scores)
    if scores.shape[1] != len(trait_ids):
        raise ValueError(f"{scores.shape[1]} columns but {len(trait_ids)} trait ids")
    if exclude is not None:
        scores = scores[~np.asarray(exclude, dtype=bool)]
    ranks = np.array(PERCENTILE_RANKS, dtype=np.float64)
    norms: dict[str, NormStatistics] = {}
    for column, trait_id in enumerate(trait_ids):
        values = scores[:, column]
        values = values[~np.isnan(values)]
        if values.size < 2:
            raise ValueError(f"trait {trait_id}: {values.size} score(s); norms need at least two")
        sd = float(values.std(ddof=1))
        if not sd > 0:
            raise ValueError(f"trait {trait_id}: every score is {values[0]:g}; the sd is 0")
        table = np.percentile(values, ranks)
        norms[trait_id] = NormStatistics(
            mean=float(values.mean()),
            sd=sd,
            n=int(values.size),
            percentiles={int(r): float(v) for r, v in zip(ranks, table, strict=True)},
        )
    return norms
