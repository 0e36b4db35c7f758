"""The flat CSV export written straight from score columns, with no object per candidate.

``assess score --format csv`` of 100,000 candidates spent most of its time building
and collecting a :class:`~assess.model.Profile` per candidate only to flatten it again.
:class:`CsvExport` takes the columns :func:`assess.scoring.score_matrix_columns`
returns, batch by batch, and gives exactly the text
:func:`assess.profiles.profiles_csv` gives for the same candidates (a test compares
the two): the same header, cells, red-flag codes and "not distinguishable" marks.
Pure: data in, text out; cells go through :mod:`assess.csvsafe`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from assess import csvsafe
from assess.model import Questionnaire, RiskPole
from assess.scoring import (
    ORDER_TAKER_RULE,
    ROLE_MISMATCH_GAP,
    SCORER_VERSION,
    T_HIGH,
    T_LOW,
    FloatArray,
    Respondent,
    ScoreArrays,
    ScoredColumns,
)

TRAIT_PARTS = ("raw", "t", "t_low", "t_high", "sem", "percentile", "band", "status")
"""The CSV columns of each trait, after its id."""

VALIDITY_COLUMNS = (
    "attention_checks_failed",
    "longstring",
    "irv",
    "consistency_disagreement",
    "social_desirability",
    "too_fast_share",
    "faking_index",
)
"""The validity indicators in the CSV, in order."""

CARELESS_FLAGS = {
    "attention": None,
    "longstring": None,
    "low_irv": "irv",
    "inconsistent": "consistency_disagreement",
    "too_fast": "too_fast_share",
}
"""Validity flags that make a profile's answers careless, each with the indicator that must
be present for the flag to count (as :func:`assess.scoring._careless_reasons` reads them)."""


def _num(value: object) -> str:
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    return str(value)


TABLE_LIMIT = 2_000_000
"""Widest range of whole numbers (in units of the last digit kept) a column's cells are
looked up in a table for; a wider column is formatted value by value."""

TABLE_MIN = 20_000
"""A column whose range is wider than twice its length (and than this) is formatted value
by value too: its table would cost more than the column."""

ROWS_PER_BLOCK = 20_000
"""Rows assembled at once (bounds the memory of the padded cell matrix)."""

_TABLES: dict[Any, tuple[int, Bytes]] = {}
"""Tables of number texts made so far, by kind (digits kept, or whole numbers): the same
numbers always have the same text, so they are kept for the next column and run."""

Bytes = npt.NDArray[np.bytes_]
"""Cells as a numpy array of UTF-8 bytes."""

Cells = Bytes | list[bytes]
"""One column of cells, UTF-8 bytes (numpy pads them with NUL bytes, dropped at the end;
a text column with a NUL in a cell stays a list)."""


def number_cells(values: npt.NDArray[Any], digits: int) -> Bytes:
    """Each value as :func:`str` writes it (``repr`` of the float, ``str`` of the whole
    number), empty for NaN. Float ``values`` must already be rounded to ``digits``
    (``np.round(x, digits)``, as profiles store them): each is then the double nearest to
    k / 10^digits for a whole k, whose text is looked up in a table built once per column
    from ``repr(k / 10**digits)``, which is exactly ``repr`` of that double."""
    if values.dtype.kind == "b":
        return np.where(values, b"true", b"false")
    if values.dtype.kind in "iu":
        whole = values.astype(np.int64)
        return _table_cells(whole, np.ones(len(whole), dtype=bool), str, _TABLES, "int")
    values = values.astype(np.float64)
    present = ~np.isnan(values)
    scale = 10.0**digits
    with np.errstate(invalid="ignore"):
        scaled = np.rint(values * scale)
        exact = (scaled / scale == values) | ~present
        small = (np.abs(values) < 1e15) | ~present
    if not (exact.all() and small.all()):  # not rounded as promised: value by value
        return np.array([repr(float(v)).encode() if v == v else b"" for v in values.tolist()])
    whole = np.where(present, scaled, 0.0).astype(np.int64)
    cells = _table_cells(whole, present, lambda k: repr(k / scale), _TABLES, digits)
    negative_zero = present & (whole == 0) & np.signbit(values)
    if negative_zero.any():
        cells = cells.astype(f"S{max(cells.dtype.itemsize, 4)}")
        cells[negative_zero] = b"-0.0"
    return cells


def _table_cells(
    whole: npt.NDArray[np.int64],
    present: npt.NDArray[np.bool_],
    text: Callable[[int], str],
    tables: dict[Any, tuple[int, Bytes]] | None = None,
    kind: Any = None,
) -> Bytes:
    """Cells looked up by whole number in a table of texts (``tables``: tables already
    made, by ``kind``, reused when they cover this column)."""
    if not present.any():
        return np.zeros(len(whole), dtype="S1")
    low, high = int(whole[present].min()), int(whole[present].max())
    if high - low > max(TABLE_MIN, min(TABLE_LIMIT, 2 * len(whole))):
        return np.array(
            [
                text(k).encode() if p else b""
                for k, p in zip(whole.tolist(), present.tolist(), strict=True)
            ]
        )
    known = tables.get(kind) if tables is not None else None
    if known is not None and known[0] <= low and high < known[0] + len(known[1]) - 1:
        start, table = known
    else:
        if known is not None:  # grow the known table when the two ranges are close
            union_low = min(low, known[0])
            union_high = max(high, known[0] + len(known[1]) - 2)
            if union_high - union_low <= max(TABLE_MIN, high - low):
                low, high = union_low, union_high
        start = low
        table = np.array([b""] + [text(k).encode() for k in range(low, high + 1)])
        if tables is not None:
            tables[kind] = (start, table)
    return table[np.where(present, whole - start + 1, 0)]


def _constant(text: str, count: int) -> Cells:
    return np.full(count, text.encode("utf-8"))


def _text_cells(values: Sequence[str | None]) -> Cells:
    """Text cells (neutralised and quoted by :mod:`assess.csvsafe`). Most columns need no
    change at all, which one search of the whole column shows; otherwise cell by cell."""
    texts = [value or "" for value in values]
    joined = "\x00".join(texts)
    if joined.count("\x00") == len(texts) - 1 and _NEEDS_CARE.search("\x00" + joined) is None:
        return _bytes_column(joined.encode("utf-8").split(b"\x00") if texts else [])
    memo: dict[str, bytes] = {}
    out = []
    for text in texts:
        found = memo.get(text)
        if found is None:
            found = csvsafe.text_cell(text).encode("utf-8")
            if len(memo) < 10_000:
                memo[text] = found
        out.append(found)
    return _bytes_column(out)


_NEEDS_CARE = re.compile(r'[,"\r\n]|\x00[=+\-@\t]')
"""A cell :func:`assess.csvsafe.text_cell` would change: one to quote (comma, quote, CR,
LF) or one starting (after the NUL that joins the cells) with a formula character."""


def _bytes_column(values: list[bytes]) -> Cells:
    if not values:
        return np.zeros(0, dtype="S1")
    if b"\x00" in b"".join(values):
        return values
    return np.array(values)


def _pattern_cells(bits: npt.NDArray[np.bool_], labels: Sequence[str]) -> Cells:
    """Per row, the ``labels`` whose bit is set, joined with ``;`` as one text cell (each
    distinct pattern is formatted once)."""
    count = len(bits)
    if count == 0 or not labels:
        return _constant("", count)
    if bits.shape[1] <= 62:  # each row's bits as one number: a fast sort
        codes = bits.astype(np.int64) @ (np.int64(1) << np.arange(bits.shape[1], dtype=np.int64))
        unique, inverse = np.unique(codes, return_inverse=True)
        patterns = (unique[:, None] >> np.arange(bits.shape[1], dtype=np.int64)) & 1 == 1
    else:
        patterns, inverse = np.unique(bits, axis=0, return_inverse=True)
    texts = [
        csvsafe.text_cell(";".join(label for label, on in zip(labels, row, strict=True) if on))
        for row in patterns.tolist()
    ]
    if any("\x00" in text for text in texts):
        return [texts[i].encode("utf-8") for i in inverse.reshape(-1).tolist()]
    return np.array([text.encode("utf-8") for text in texts])[inverse.reshape(-1)]


def csv_header(trait_ids: Sequence[str], roles: Sequence[str]) -> list[str]:
    """The header of the flat CSV for ``roles`` (sorted) and ``trait_ids`` (the one header of
    both writers: this export and :func:`assess.profiles.profiles_csv`)."""
    header = ["candidate_id", "name", "role", "questionnaire", "best_fit"]
    for role in roles:
        header += [f"fit_{role}", f"fit_{role}_low", f"fit_{role}_high", f"fit_{role}_vs_next"]
    for trait_id in trait_ids:
        header += [f"{trait_id}_{part}" for part in TRAIT_PARTS]
    header += [
        *VALIDITY_COLUMNS,
        "validity_flags",
        "red_flags",
        "norms_source",
        "norms_n",
        "norms_provisional",
        "forced",
        "scorer_version",
    ]
    return header


@dataclass
class _Batch:
    """What :meth:`CsvExport.add` keeps of one batch until :meth:`CsvExport.text`."""

    ids: list[str]
    names: list[str | None]
    roles: list[str | None]
    questionnaires: list[str]
    arrays: ScoreArrays
    role_ids: list[str]
    order_taker: list[bool] | None
    forced: list[bool]
    norms_cells: str


@dataclass
class CsvExport:
    """Collects batches of scored candidates; :meth:`text` gives the whole CSV, formatted
    column by column (no Python per cell)."""

    q: Questionnaire
    roles: list[str] | None = None
    _batches: list[_Batch] = field(default_factory=list)

    def add(
        self, respondents: Sequence[Respondent], scored: ScoredColumns, forced: Sequence[bool]
    ) -> None:
        """Add one batch (``forced``: per candidate, as the profile would record it)."""
        roles = sorted(scored.role_ids)
        if self.roles is None:
            self.roles = roles
        elif roles != self.roles:  # every batch of a run is scored against the same roles
            raise ValueError("batches scored against different roles")
        norms = scored.norms_used
        # A bulk CSV's rows (assess.profiles.BulkRespondent) carry their cells as they are:
        # read those, so that no pydantic Candidate is made per row.
        row_ids: list[str]
        row_names: list[str | None]
        row_roles: list[str | None]
        if all(hasattr(record, "candidate_id") for record in respondents):
            row_ids = [getattr(record, "candidate_id") for record in respondents]  # noqa: B009
            row_names = [getattr(record, "name") for record in respondents]  # noqa: B009
            row_roles = [getattr(record, "role") for record in respondents]  # noqa: B009
        else:
            row_ids = [record.candidate.id for record in respondents]
            row_names = [record.candidate.name for record in respondents]
            row_roles = [record.candidate.role for record in respondents]
        self._batches.append(
            _Batch(
                ids=row_ids,
                names=row_names,
                roles=row_roles,
                questionnaires=[
                    f"{record.questionnaire.id} {record.questionnaire.version}"
                    for record in respondents
                ],
                arrays=scored.arrays,
                role_ids=list(scored.role_ids),
                order_taker=scored.order_taker,
                forced=[bool(flag) for flag in forced],
                norms_cells=(
                    f"{csvsafe.text_cell(norms.source)},{_num(norms.n)},{_num(norms.provisional)}"
                    if norms is not None
                    else ",,"
                ),
            )
        )

    def text(self) -> str:
        """The whole CSV (header and one row per candidate, in the order added)."""
        roles = self.roles or []
        header = csv_header([trait.id for trait in self.q.traits], roles)
        head = ",".join(csvsafe.text_cell(name) for name in header) + "\n"
        columns = self._columns(roles)
        body = _assemble(columns)
        return head + body

    def _columns(self, roles: list[str]) -> list[Cells]:
        """Every cell of the body, column by column, in the header's order."""
        batches = self._batches
        count = sum(len(batch.ids) for batch in batches)
        if count == 0:
            return []
        q = self.q
        trait_ids = [trait.id for trait in q.traits]
        n_traits = len(trait_ids)
        role_ids = batches[0].role_ids
        a = _joined([batch.arrays for batch in batches], count, n_traits, len(role_ids))
        applied = [role for batch in batches for role in batch.roles]

        nan_roles = np.full((count, len(role_ids)), np.nan)
        fit = a["fit"] if a["fit"] is not None else nan_roles
        fit_low = a["fit_low"] if a["fit_low"] is not None else nan_roles
        fit_high = a["fit_high"] if a["fit_high"] is not None else nan_roles
        fit_scored = ~np.isnan(fit)
        fit_interval = fit_scored & ~np.isnan(fit_low) & ~np.isnan(fit_high)
        # Best fit: the first highest fit in role order (among the scored ones); named only
        # when every role is scored.
        any_scored = fit_scored.any(axis=1)
        best = np.argmax(np.where(fit_scored, fit, -np.inf), axis=1) if role_ids else None
        best_named = any_scored & fit_scored.all(axis=1) if role_ids else None
        best_labels = [None, *role_ids]
        best_cells = (
            _text_cells([best_labels[i] for i in np.where(best_named, best + 1, 0).tolist()])
            if best is not None and best_named is not None
            else _constant("", count)
        )

        nan_traits = np.full((count, n_traits), np.nan)
        t = a["t"] if a["t"] is not None else nan_traits
        t_low = a["t_low"] if a["t_low"] is not None else nan_traits
        t_high = a["t_high"] if a["t_high"] is not None else nan_traits
        sem = a["sem"] if a["sem"] is not None else nan_traits
        percentile = a["percentile"] if a["percentile"] is not None else nan_traits
        interval = ~np.isnan(t) & ~np.isnan(t_low) & ~np.isnan(t_high)
        with np.errstate(invalid="ignore"):
            band_low = t < T_LOW
            band_high = t > T_HIGH
            whole_high = interval & (t_low > T_HIGH)
            whole_low = interval & (t_high < T_LOW)
        sufficient = a["sufficient"]

        cells: list[Cells] = [
            _text_cells([i for batch in batches for i in batch.ids]),
            _text_cells([n for batch in batches for n in batch.names]),
            _text_cells(applied),
            _text_cells([x for batch in batches for x in batch.questionnaires]),
            best_cells,
        ]
        ties = self._ties(roles, role_ids, fit, fit_low, fit_high, fit_interval)
        for role in roles:
            column = role_ids.index(role)
            cells += [
                number_cells(fit[:, column], 1),
                number_cells(np.where(fit_interval[:, column], fit_low[:, column], np.nan), 1),
                number_cells(np.where(fit_interval[:, column], fit_high[:, column], np.nan), 1),
                np.where(ties[role], b"not distinguishable", b""),
            ]
        band_cells = np.array([b"", b"low", b"average", b"high"])
        for column in range(n_traits):
            tc = t[:, column]
            has_interval = interval[:, column]
            band = np.where(
                np.isnan(tc),
                0,
                np.where(band_low[:, column], 1, np.where(band_high[:, column], 3, 2)),
            )
            cells += [
                number_cells(a["raw"][:, column], 3),
                number_cells(tc, 1),
                number_cells(np.where(has_interval, t_low[:, column], np.nan), 1),
                number_cells(np.where(has_interval, t_high[:, column], np.nan), 1),
                number_cells(sem[:, column], 1),
                number_cells(percentile[:, column], 1),
                band_cells[band],
                np.where(sufficient[:, column], b"ok", b"insufficient"),
            ]
        indicators = a["indicators"]
        for name in VALIDITY_COLUMNS:
            cells.append(number_cells(indicators[name], 3))

        flag_names = list(a["flags"])
        flags = (
            np.column_stack([a["flags"][name] for name in flag_names])
            if flag_names
            else np.zeros((count, 0), dtype=bool)
        )
        cells.append(_pattern_cells(flags, flag_names))

        # Red flags, in the order the profile lists them.
        def raised(name: str) -> npt.NDArray[np.bool_]:
            found: npt.NDArray[np.bool_] = a["flags"].get(name, np.zeros(count, dtype=bool))
            return found

        careless = np.zeros(count, dtype=bool)
        for name, needs in CARELESS_FLAGS.items():
            present = raised(name)
            if needs is not None:
                values = indicators[needs]
                if values.dtype.kind == "f":
                    present = present & ~np.isnan(values)
            careless |= present
        desirable = raised("faking") | raised("social_desirability")

        poles = self._poles(applied, trait_ids)
        band_flag_high = (poles == 1) & band_high & whole_high
        band_flag_low = (poles == 2) & band_low & whole_low

        rule = ORDER_TAKER_RULE
        order_taker = np.zeros(count, dtype=bool)
        taker = role_ids.index(rule.order_taker_role) if rule.order_taker_role in role_ids else None
        farmer = role_ids.index(rule.farmer_role) if rule.farmer_role in role_ids else None
        by_fits = [
            flag for batch in batches for flag in (batch.order_taker or [False] * len(batch.ids))
        ]
        if taker is not None and farmer is not None and a["fit"] is not None:
            order_taker |= (
                np.array(by_fits, dtype=bool) & fit_scored[:, taker] & fit_scored[:, farmer]
            )
        rule_traits = [
            trait_ids.index(t_id) if t_id in trait_ids else None
            for t_id in (rule.nurturing, rule.asking, rule.closing, rule.approval)
        ]
        if all(index is not None for index in rule_traits):
            nurturing, asking, closing, approval = (int(i) for i in rule_traits)  # type: ignore[arg-type]
            order_taker |= (
                whole_high[:, nurturing]
                & whole_low[:, asking]
                & whole_low[:, closing]
                & whole_high[:, approval]
            )

        differs = np.zeros(count, dtype=bool)
        if role_ids and best is not None:
            applied_index = np.array(
                [role_ids.index(r) if r in role_ids else -1 for r in applied], dtype=np.int64
            )
            rows = np.arange(count)
            known = applied_index >= 0
            applied_fit = fit[rows, np.where(known, applied_index, 0)]
            best_fit = fit[rows, best]
            with np.errstate(invalid="ignore"):
                differs = (
                    any_scored
                    & known
                    & (best != applied_index)
                    & ~np.isnan(applied_fit)
                    & (best_fit - applied_fit >= ROLE_MISMATCH_GAP)
                )

        bits = [careless, desirable]
        labels = ["careless_responding", "socially_desirable_responding"]
        for column, trait_id in enumerate(trait_ids):
            bits.append(~sufficient[:, column])
            labels.append(f"insufficient:{trait_id}")
        bits.append(order_taker)
        labels.append("likely_order_taker_as_farmer")
        for column, trait_id in enumerate(trait_ids):
            bits += [band_flag_low[:, column], band_flag_high[:, column]]
            labels += [f"low_{trait_id}", f"high_{trait_id}"]
        bits.append(differs)
        labels.append("best_fit_differs_from_role")
        cells.append(_pattern_cells(np.column_stack(bits), labels))

        cells.append(
            _bytes_column(
                [batch.norms_cells.encode("utf-8") for batch in batches for _ in batch.ids]
            )
        )
        forced = np.array([flag for batch in batches for flag in batch.forced], dtype=bool)
        cells.append(np.where(forced, b"true", b"false"))
        cells.append(_constant(SCORER_VERSION, count))
        return cells

    def _ties(
        self,
        roles: list[str],
        role_ids: list[str],
        fit: FloatArray,
        fit_low: FloatArray,
        fit_high: FloatArray,
        fit_interval: npt.NDArray[np.bool_],
    ) -> dict[str, npt.NDArray[np.bool_]]:
        """Per role, :func:`assess.scoring.not_distinguishable_from_next` on whole columns:
        ranked by fit (best first, ties in input order), a candidate's interval reaches the
        next-ranked one's."""
        out: dict[str, npt.NDArray[np.bool_]] = {}
        for role in roles:
            column = role_ids.index(role)
            ranked_rows = np.flatnonzero(fit_interval[:, column])
            order = ranked_rows[np.argsort(-fit[ranked_rows, column], kind="stable")]
            tie = np.zeros(len(fit), dtype=bool)
            if len(order) > 1:
                this, below = order[:-1], order[1:]
                tie[this] = fit_low[this, column] <= fit_high[below, column]
            out[role] = tie
        return out

    def _poles(self, applied: list[str | None], trait_ids: list[str]) -> npt.NDArray[np.int8]:
        """Per candidate and trait, the risk pole that applies (0 none, 1 high, 2 low): the
        applied role's own, else the trait's."""
        code = {"none": 0, "high": 1, "low": 2}
        default = [code[trait.risk_pole] for trait in self.q.traits]
        by_role = _role_poles(self.q)
        keys = sorted(by_role)
        table = np.array(
            [default]
            + [
                [
                    code[by_role[key].get(t_id) or trait.risk_pole]
                    for t_id, trait in zip(trait_ids, self.q.traits, strict=True)
                ]
                for key in keys
            ],
            dtype=np.int8,
        ).reshape(len(keys) + 1, len(trait_ids))
        index = {key: number + 1 for number, key in enumerate(keys)}
        rows = np.array([index.get(role or "", 0) for role in applied], dtype=np.int64)
        return table[rows]


def _joined(arrays: list[ScoreArrays], count: int, n_traits: int, n_roles: int) -> dict[str, Any]:
    """The batches' arrays, one per field, concatenated (None where no batch has it)."""
    out: dict[str, Any] = {}
    for name in ("raw", "sufficient", "t", "t_low", "t_high", "sem", "percentile"):
        parts = [getattr(batch, name) for batch in arrays]
        out[name] = None if any(part is None for part in parts) else np.concatenate(parts)
    for name in ("fit", "fit_low", "fit_high"):
        parts = [getattr(batch, name) for batch in arrays]
        out[name] = None if any(part is None for part in parts) else np.concatenate(parts)
    out["indicators"] = {
        name: np.concatenate([batch.indicators[name] for batch in arrays])
        for name in arrays[0].indicators
    }
    out["flags"] = {
        name: np.concatenate([batch.flags[name] for batch in arrays]) for name in arrays[0].flags
    }
    return out


def _assemble(columns: list[Cells]) -> str:
    """The rows: cells joined by commas, each row ending in a newline. Cells are laid out
    padded in one byte matrix per block of rows, and the padding (NUL bytes, which no cell
    holds: a text cell with a NUL is joined the slow way) is dropped in one pass."""
    if not columns:
        return ""
    count = len(columns[0])
    if any(isinstance(column, list) for column in columns):  # a text cell holds a NUL
        lines = [b",".join(column[row] for column in columns) + b"\n" for row in range(count)]
        return b"".join(lines).decode("utf-8")
    comma = np.full((count, 1), ord(","), dtype=np.uint8)
    newline = np.full((count, 1), ord("\n"), dtype=np.uint8)
    pieces: list[bytes] = []
    for start in range(0, count, ROWS_PER_BLOCK):
        stop = min(start + ROWS_PER_BLOCK, count)
        parts: list[npt.NDArray[np.uint8]] = []
        for number, column in enumerate(columns):
            if number:
                parts.append(comma[start:stop])
            block = np.ascontiguousarray(column[start:stop])
            parts.append(block.view(np.uint8).reshape(stop - start, block.dtype.itemsize))
        parts.append(newline[start:stop])
        matrix = np.concatenate(parts, axis=1).ravel()
        pieces.append(matrix[matrix != 0].tobytes())
    return b"".join(pieces).decode("utf-8")


def _role_poles(q: Questionnaire) -> dict[str, dict[str, RiskPole]]:
    """Each role's own risk poles (see :func:`assess.scoring._role_risk_poles`)."""
    return {role_id: dict(role.risk_poles or {}) for role_id, role in (q.roles or {}).items()}
