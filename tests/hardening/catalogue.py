"""The bad-input catalogue: every reader given every kind of bad file, and what it must say.

Each :class:`Case` spoils one of the valid files made by ``conftest._make_base`` (or gives
bad options), runs one command, and lists the parts its one-paragraph ``error:`` message
must contain (``{d}`` is the folder of the files). ``test_bad_inputs.py`` runs them all.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

Spoil = Callable[[bytes], bytes]


@dataclass(frozen=True)
class Case:
    """One bad input: which reader, which file it spoils and how, the command, the message."""

    reader: str
    name: str
    argv: tuple[str, ...]
    expect: tuple[str, ...]
    target: str | None = None
    spoil: Spoil | None = None
    special: str | None = None
    """``folder`` (the target is a folder), ``missing`` (it does not exist), ``zero`` (a
    symlink to /dev/zero), ``urandom`` (to /dev/urandom) or ``passwd`` (to /etc/passwd)."""

    @property
    def id(self) -> str:
        return f"{self.reader}:{self.name}"


def sub(old: str, new: str, count: int = 1) -> Spoil:
    """Replace ``old`` by ``new`` (``count`` times); the case fails loudly if ``old`` is absent."""

    def spoil(data: bytes) -> bytes:
        text = data.decode("utf-8")
        if old not in text:
            raise AssertionError(f"catalogue: {old!r} is not in the valid file")
        return text.replace(old, new, count).encode("utf-8")

    return spoil


def content(text: str | bytes) -> Spoil:
    """Replace the whole file."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    return lambda _: data


def append(text: str) -> Spoil:
    return lambda data: data + text.encode("utf-8")


def truncate(share: float) -> Spoil:
    return lambda data: data[: int(len(data) * share)]


# ----------------------------------------------------------------- the readers

Q = "mini.questionnaire.yaml"
ANS = "c-010.answers.yaml"
CSV = "mini.answers.csv"
PROF = "c-010.profile.yaml"
NORMS = "norms.yaml"
IRT = "sales-traits.irt.yaml"
OUT = "outcomes.csv"
SCEN = "scenario.yaml"
BOOK = "book.csv"
COHORT = "cohort.csv"
HIST = "histories.csv"
INV = "inv/c-1.invitation.yaml"

READERS: dict[str, tuple[str, tuple[str, ...], str]] = {
    # reader: (file, command, how messages name the file kind)
    "questionnaire": (Q, ("assess", "validate", "{d}/" + Q), "YAML file"),
    "questionnaire (score -q)": (
        Q,
        ("assess", "score", "{d}/" + CSV, "-q", "{d}/" + Q),
        "questionnaire",
    ),
    "answers YAML": (ANS, ("assess", "score", "{d}/" + ANS, "-q", "{d}/" + Q), "answers file"),
    "answers CSV": (CSV, ("assess", "score", "{d}/" + CSV, "-q", "{d}/" + Q), "answers CSV"),
    "profile": (PROF, ("assess", "show", "{d}/" + PROF), "profile"),
    "profiles (export)": (PROF, ("assess", "export", "{d}/" + PROF, "--format", "json"), "profile"),
    "norms": (
        NORMS,
        ("assess", "score", "{d}/" + ANS, "-q", "{d}/" + Q, "--norms", "{d}/" + NORMS),
        "norms file",
    ),
    "IRT parameters": (IRT, ("assess", "validate", "{d}/" + IRT), "YAML file"),
    "outcomes CSV": (OUT, ("assess", "criterion", "{d}/" + PROF, "{d}/" + OUT), "outcomes CSV"),
    "scenario": (SCEN, ("simulate", "run", "{d}/" + SCEN), "scenario file"),
    "book CSV": (BOOK, ("simulate", "book", "{d}/" + BOOK), "book CSV"),
    "book CSV (scenario)": (BOOK, ("simulate", "run", "{d}/" + SCEN), "book CSV"),
    "cohort CSV": (COHORT, ("simulate", "calibrate", "{d}/" + COHORT), "history CSV"),
    "histories CSV": (HIST, ("simulate", "calibrate", "{d}/" + HIST), "history CSV"),
    "invitation": (INV, ("assess", "invites", "--out", "{d}/inv"), "invitation"),
}

YAML_READERS = (
    "questionnaire",
    "questionnaire (score -q)",
    "answers YAML",
    "profile",
    "profiles (export)",
    "norms",
    "IRT parameters",
    "scenario",
    "invitation",
)
CSV_READERS = (
    "answers CSV",
    "outcomes CSV",
    "book CSV",
    "book CSV (scenario)",
    "cohort CSV",
    "histories CSV",
)


FOLDER_MESSAGES = {
    # Commands whose file argument click checks before reading (one paragraph all the same).
    "scenario": "error: simulate run: Invalid value for 'SCENARIO': File '{d}/scenario.yaml' "
    "is a directory. See 'simulate run --help'.",
    "book CSV": "error: simulate book: Invalid value for 'BOOK.csv': File '{d}/book.csv' is a "
    "directory.",
    "cohort CSV": "error: simulate calibrate: Invalid value for 'HISTORY.csv': File "
    "'{d}/cohort.csv' is a directory.",
    "histories CSV": "error: simulate calibrate: Invalid value for 'HISTORY.csv': File "
    "'{d}/histories.csv' is a directory.",
    "profiles (export)": "{d}/c-010.profile.yaml: the folder holds no *.profile.yaml files.",
}


HUGE_CELL_LINE = {
    # The line a row appended to each valid CSV is on.
    "answers CSV": 7,
    "outcomes CSV": 3,
    "book CSV": 302,
    "book CSV (scenario)": 302,
    "cohort CSV": 10,
    "histories CSV": 42,
}


def _generic() -> list[Case]:
    """What every reader must refuse the same way: no file, a folder, a device, bad bytes."""
    cases: list[Case] = []
    for reader, (target, argv, what) in READERS.items():
        path = "{d}/" + target
        folder = FOLDER_MESSAGES.get(reader, f"{path}: expected a {what} but found a folder.")
        if reader != "invitation":  # a folder without invitations is not an error
            cases.append(
                Case(
                    reader,
                    "missing",
                    argv,
                    (f"{path}: no such {what}.",),
                    target,
                    special="missing",
                )
            )
        cases += [
            Case(reader, "folder", argv, (folder,), target, special="folder"),
            Case(
                reader,
                "dev-zero",
                argv,
                (f"{path}: expected a {what} (a regular file) but found a character device",),
                target,
                special="zero",
            ),
            Case(
                reader,
                "not-utf8",
                argv,
                (f"{path}: the {what} is not UTF-8 text (byte 3 cannot be decoded)",),
                target,
                content(b"id,\xff\xfe\n"),
            ),
        ]
    cases.append(
        Case(
            "book CSV",
            "dev-urandom",
            READERS["book CSV"][1],
            ("{d}/book.csv: expected a book CSV (a regular file) but found a character device",),
            BOOK,
            special="urandom",
        )
    )
    for reader in YAML_READERS:
        target, argv, _ = READERS[reader]
        path = "{d}/" + target
        for name, character, description in (
            ("BEL", "\a", "U+0007 (BEL)"),
            ("NUL", "\0", "U+0000 (NUL)"),
            ("ESC", "\x1b", "U+001B (ESC)"),
            ("C1", "\x9b", "U+009B (C1 control 0x9b)"),
        ):
            cases.append(
                Case(
                    reader,
                    f"control-{name}",
                    argv,
                    (
                        f"{path}: not valid YAML at line 2, column 3: the control character "
                        f"{description} is not allowed in a YAML file",
                    ),
                    target,
                    content(f"# x\n# {character}\n"),
                )
            )
        cases += [
            Case(
                reader,
                "broken-yaml",
                argv,
                (f"{path}: not valid YAML at line 2", "Check the indentation and quoting"),
                target,
                content("a: [1, 2\nb: {\n"),
            ),
            Case(
                reader,
                "a-list",
                argv,
                (f"{path}: expected a YAML mapping with 'schema: repfit.", "found a list"),
                target,
                content("- 1\n- 2\n"),
            ),
        ]
    for reader in CSV_READERS:
        target, argv, _ = READERS[reader]
        path = "{d}/" + target
        cases += [
            Case(
                reader,
                "huge-cell",
                argv,
                (
                    f"{path}: line {HUGE_CELL_LINE[reader]}: not valid CSV: a cell longer than "
                    "131,072 characters; expected ordinary cells",
                ),
                target,
                append('x,"' + "y" * 200_000 + '"\n'),
            ),
            Case(
                reader,
                "bare-CR",
                argv,
                (
                    f"{path}: line {HUGE_CELL_LINE[reader]}: not valid CSV: a carriage return "
                    "(CR) inside an unquoted cell",
                ),
                target,
                append("x,a\rb,c\n"),
            ),
        ]
    return cases


def _questionnaire() -> list[Case]:
    argv = READERS["questionnaire"][1]
    p = "{d}/" + Q

    def case(name: str, spoil: Spoil, *expect: str) -> Case:
        return Case("questionnaire", name, argv, tuple(expect), Q, spoil)

    return [
        case("empty", content(""), f"{p}: the YAML file is empty; expected a YAML mapping."),
        case(
            "schema-missing",
            sub("schema: repfit.questionnaire/1\n", ""),
            f"{p}: the 'schema' key is missing; expected one of:",
        ),
        case(
            "schema-newer",
            sub("repfit.questionnaire/1", "repfit.questionnaire/9"),
            "which is newer than this version of repfit understands",
        ),
        case(
            "schema-typo",
            sub("repfit.questionnaire/1", "repfit.questionaire/1"),
            "unknown schema 'repfit.questionaire/1' (did you mean 'repfit.questionnaire'?)",
        ),
        case(
            "scale-min-true",
            sub("scale: {min: 1,", "scale: {min: true,"),
            "scale.min (line 7): expected a whole number; found true",
        ),
        case(
            "scale-max-nan",
            sub("max: 5,", "max: .nan,"),
            "scale.max (line 7): expected a finite number (not NaN or infinity); found .nan.",
        ),
        case(
            "judgement-weight-inf",
            sub("judgement_weight: 0.25", "judgement_weight: .inf"),
            "judgement_weight (line 8): expected a finite number (not NaN or infinity); found .inf",
        ),
        case(
            "judgement-weight-1e309",
            sub("judgement_weight: 0.25", "judgement_weight: 1e309"),
            "judgement_weight (line 8): expected a finite number (not NaN or infinity); "
            "found '1e309'",
        ),
        case(
            "judgement-weight-true",
            sub("judgement_weight: 0.25", "judgement_weight: true"),
            "judgement_weight (line 8): expected a number; found true",
        ),
        case(
            "option-weight-nan",
            sub("weights: {comfort_asking: 2}", "weights: {comfort_asking: .nan}"),
            "expected a finite number (not NaN or infinity); found .nan",
        ),
        case(
            "expect-true",
            sub("expect: 4", "expect: true"),
            "expected a whole number; found true",
        ),
        case(
            "expect-5000-digits",
            sub("expect: 4", "expect: " + "4" * 5000),
            "expected a whole number of at most 30 digits; found 5,000 characters",
        ),
        case(
            "key-typo",
            sub("judgement_weight:", "judgment_weight:"),
            "unknown key 'judgment_weight' (did you mean 'judgement_weight'?)",
        ),
        case(
            "duplicate-key",
            append("title: again\n"),
            f"{p}: not valid YAML at line",
            "found duplicate key 'title'",
        ),
        case("truncated", truncate(0.5), f"{p}: "),
        case(
            "alias-bomb",
            content(
                "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
                + "".join(
                    f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, "
                    f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
                    f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
                    for i in range(8)
                )
            ),
            "the YAML expands to more than 2,000,000 values",
        ),
    ]


def _answers() -> list[Case]:
    argv = READERS["answers YAML"][1]
    p = "{d}/" + ANS

    def case(name: str, spoil: Spoil, *expect: str) -> Case:
        return Case("answers YAML", name, argv, tuple(expect), ANS, spoil)

    return [
        case("empty", content(""), f"{p}: the answers file is empty; expected a YAML mapping."),
        case(
            "value-true",
            sub("value: 2", "value: true"),
            "value (line",
            "expected a whole number; found true",
        ),
        case(
            "value-5000-digits",
            sub("value: 2", "value: " + "2" * 5000),
            "expected a whole number of at most 30 digits; found 5,000 characters",
        ),
        case(
            "value-nan",
            sub("value: 2", "value: .nan"),
            "answers.nfa1.value (line 32): expected a finite number (not NaN or infinity); "
            "found .nan.",
        ),
        case("value-text", sub("value: 2", "value: high"), "expected a whole number; found 'high'"),
        case("value-float", sub("value: 2", "value: 2.5"), "expected a whole number; found 2.5"),
        case("ms-negative", sub("ms: ", "ms: -"), "ms (line", "greater than or equal to 0"),
        case(
            "ms-true", sub("ms: ", "ms: true #"), "ms (line", "expected a whole number; found true"
        ),
        case(
            "key-typo",
            sub("candidate:", "candidat:"),
            "unknown key 'candidat' (did you mean 'candidate'?)",
        ),
        case(
            "control-raw-in-name",
            sub("name: Jo Example", "name: Jo\x1b]0;pwned\x07"),
            f"{p}: not valid YAML at line 8, column 11: the control character U+001B (ESC)",
        ),
    ]


def _profiles() -> list[Case]:
    argv = READERS["profile"][1]
    export = READERS["profiles (export)"][1]
    p = "{d}/" + PROF

    def case(name: str, spoil: Spoil, *expect: str, command: tuple[str, ...] = argv) -> Case:
        return Case("profile", name, command, tuple(expect), PROF, spoil)

    return [
        case("empty", content(""), f"{p}: the profile is empty; expected a YAML mapping."),
        case(
            "t-nan",
            sub("t: 29.2", "t: .nan"),
            f"{p}: 1 problem: traits.need_for_approval.t (line",
            "expected a finite number (not NaN or infinity); found .nan",
        ),
        case(
            "t-1e309",
            sub("t: 29.2", "t: 1.0e309"),
            "traits.need_for_approval.t (line",
            "expected a finite number (not NaN or infinity); found '1.0e309'",
        ),
        case(
            "t-inf-export",
            sub("t: 29.2", "t: -.inf"),
            "traits.need_for_approval.t (line",
            "found -.inf",
            command=export,
        ),
        case(
            "percentile-200",
            sub("percentile: 1.9", "percentile: 200"),
            "traits.need_for_approval.percentile (line",
            "less than or equal to 100; found 200",
        ),
        case(
            "percentile-negative",
            sub("percentile: 1.9", "percentile: -3"),
            "traits.need_for_approval.percentile (line",
            "greater than or equal to 0; found -3",
        ),
        case(
            "multi-document-nan-export",
            lambda data: data + b"---\n" + data.replace(b"t: 29.2", b"t: .nan"),
            f"{p}, document 3: 1 problem: traits.need_for_approval.t",
            "found .nan",
            command=export,
        ),
        case(
            "items-answered-true",
            sub("items_answered: 3", "items_answered: true"),
            "items_answered (line",
            "expected a whole number; found true",
        ),
        case(
            "key-typo",
            sub("scorer_version:", "scorer_versoin:"),
            "unknown key 'scorer_versoin' (did you mean 'scorer_version'?)",
        ),
    ]


def _norms() -> list[Case]:
    argv = READERS["norms"][1]
    p = "{d}/" + NORMS

    def case(name: str, old: str, new: str, *expect: str) -> Case:
        return Case("norms", name, argv, tuple(expect), NORMS, sub(old, new))

    cases = [
        case(
            f"mean-{label}",
            "    mean: ",
            f"    mean: {value} #",
            f"{p}: 1 problem: traits.need_for_approval.mean (line",
            "expected a finite number (not NaN or infinity)",
        )
        for label, value in (
            ("nan", ".nan"),
            ("inf", ".inf"),
            ("minus-inf", "-.inf"),
            ("1e309", "1e309"),
            ("1.0e309", "1.0e309"),
        )
    ]
    cases += [
        case(
            "mean-true",
            "    mean: ",
            "    mean: true #",
            "mean (line",
            "expected a number; found true",
        ),
        case("sd-zero", "    sd: ", "    sd: 0 #", "sd (line", "greater than 0; found 0"),
        case("sd-nan", "    sd: ", "    sd: .nan #", "sd (line", "found .nan"),
        case("n-true", "n: 4", "n: true", "n (line", "expected a whole number; found true"),
        case(
            "percentile-nan",
            "      '1': ",
            "      '1': .nan #",
            "percentiles.1 (line",
            "expected a finite number (not NaN or infinity); found .nan",
        ),
        case(
            "key-typo",
            "provisional: true",
            "provisonal: true",
            "unknown key 'provisonal' (did you mean 'provisional'?)",
        ),
        Case("norms", "empty", argv, (f"{p}: the norms file is empty",), NORMS, content("")),
    ]
    return cases


def _irt() -> list[Case]:
    argv = READERS["IRT parameters"][1]
    p = "{d}/" + IRT

    def case(name: str, spoil: Spoil, *expect: str) -> Case:
        return Case("IRT parameters", name, argv, tuple(expect), IRT, spoil)

    return [
        case(
            "a-nan",
            sub("a: 1.2629", "a: .nan"),
            f"{p}: 1 problem: traits.need_for_approval.items.nfa01.a (line 16): expected a "
            "finite number (not NaN or infinity); found .nan.",
        ),
        case(
            "a-true",
            sub("a: 1.2629", "a: true"),
            f"{p}: 1 problem: traits.need_for_approval.items.nfa01.a (line 16): expected a "
            "number; found true.",
        ),
        case("a-inf", sub("a: 1.2629", "a: .inf"), "nfa01.a (line 16)", "found .inf"),
        case("b-minus-inf", sub("- -2.7162", "- -.inf"), "nfa01.b[0] (line 18)", "found -.inf"),
        case(
            "n-true", sub("n: 3000", "n: true"), "n (line 9): expected a whole number; found true"
        ),
        case("empty", content(""), f"{p}: the YAML file is empty"),
    ]


def _outcomes() -> list[Case]:
    argv = READERS["outcomes CSV"][1]
    p = "{d}/" + OUT

    def case(name: str, text: str, *expect: str) -> Case:
        return Case("outcomes CSV", name, argv, tuple(expect), OUT, content(text))

    header = "candidate_id,quota_attainment\n"
    return [
        case(
            f"value-{label}",
            header + f"c-010,{value}\n",
            f"{p}: row 2, column quota_attainment: expected a finite number",
            f"found '{value}'",
        )
        for label, value in (("nan", "nan"), ("inf", "inf"), ("1e309", "1e309"), ("text", "lots"))
    ] + [
        case(
            "no-id-column",
            "candidate id,quota\nx,1\n",
            f"{p}: row 1 (header): expected a 'candidate_id' column and one column per outcome; "
            "found 2 columns, none named candidate_id (is 'candidate id' meant to be "
            "candidate_id?).",
        ),
        case("short-row", header + "c-010\n", f"{p}: row 2: expected 2 cells; found 1."),
        case("empty", "", f"{p}: row 1 (header): expected a 'candidate_id' column"),
    ]


def _not_ours() -> list[Case]:
    """A system file given where a repfit file belongs: refused without quoting it back."""
    cases = []
    for reader in ("profile", "scenario", "answers CSV", "cohort CSV", "book CSV"):
        target, argv, _ = READERS[reader]
        cases.append(
            Case(reader, "system-file", argv, ("{d}/" + target + ": ",), target, special="passwd")
        )
    return cases


def _answers_csv() -> list[Case]:
    argv = READERS["answers CSV"][1]
    p = "{d}/" + CSV

    def case(name: str, spoil: Spoil, *expect: str) -> Case:
        return Case("answers CSV", name, argv, tuple(expect), CSV, spoil)

    return [
        case("empty", content(""), f"{p}: the answers CSV is empty"),
        case("header-only", truncate(0.2), f"{p}: "),
        case("value-true", sub(",4,2,2\n", ",4,2,true\n"), f"{p}: row 2", "sjt2"),
        case("value-nan", sub(",4,2,2\n", ",4,2,nan\n"), f"{p}: row 2", "sjt2"),
        case("value-5000-digits", sub(",4,2,2\n", ",4,2," + "2" * 5000 + "\n"), f"{p}: row 2"),
        case(
            "unknown-column", sub("sjt2", "sjt9"), f"{p}: row 1 (header)", "unknown column 'sjt9'"
        ),
    ]


def _scenario() -> list[Case]:
    argv = READERS["scenario"][1]
    p = "{d}/" + SCEN

    def case(name: str, old: str, new: str, *expect: str) -> Case:
        return Case("scenario", name, argv, tuple(expect), SCEN, sub(old, new))

    return [
        case(
            "horizon-true",
            "horizon_months: 36",
            "horizon_months: true",
            f"{p}: 1 problem: horizon_months (line 7): expected a whole number; found true.",
        ),
        case(
            "name-escape-sequence",
            "name: Demo book, two farmers and a hunter",
            'name: "Demo \\e]0;pwned\\a book"',
            f"{p}: 1 problem: name (line 6): expected a name without control characters; "
            "found 'Demo \\x1b]0;pwned\\x07 book'.",
        ),
        case(
            "archetype-bell",
            "{archetype: hunter, count: 1}",
            '{archetype: "hun\\ater", count: 1}',
            "team[1].archetype (line 18): expected a name without control characters; "
            "found 'hun\\x07ter'.",
        ),
        case(
            "horizon-typo",
            "horizon_months:",
            "horizon_month:",
            f"{p}: 1 problem: horizon_month (line 7): unknown key 'horizon_month' (did you mean "
            "'horizon_months'?).",
        ),
        case(
            "count-true",
            "count: 2}",
            "count: true}",
            "team[0].count (line 17): expected a whole number; found true.",
        ),
        case(
            "trials-true", "trials: 4", "trials: true", "trials (line 8): expected a whole number"
        ),
        case("trials-zero", "trials: 4", "trials: 0", "trials (line 8): ", "found 0"),
        case(
            "seed-5000-digits",
            "seed: 7",
            "seed: " + "7" * 5000,
            "seed (line 9): expected a whole number of at most 30 digits",
        ),
        case(
            "drift-nan",
            "drift_annual: 0.03",
            "drift_annual: .nan",
            "economy.drift_annual (line 27): expected a finite number (not NaN or infinity); "
            "found .nan.",
        ),
        case(
            "target-inf",
            "value: 2900000",
            "value: .inf",
            "target.value (line 30): expected a finite number",
        ),
        case(
            "target-1e309",
            "value: 2900000",
            "value: 1e309",
            "target.value (line 30): expected a finite number",
        ),
        case(
            "assumption-typo",
            "mgmt_change_monthly: 0.012",
            "mgmt_change_montly: 0.012",
            "assumptions.mgmt_change_montly: unknown assumption 'mgmt_change_montly' "
            "(did you mean 'mgmt_change_monthly'?); `simulate assumptions` lists all",
        ),
        case(
            "assumption-nan",
            "mgmt_change_monthly: 0.012",
            "mgmt_change_monthly: .nan",
            "assumptions.mgmt_change_monthly (line",
            "expected a finite number",
        ),
        case(
            "archetype-typo",
            "archetype: hunter",
            "archetype: huntre",
            "team[1].archetype: unknown archetype 'huntre' (did you mean 'hunter'?)",
        ),
        case(
            "book-missing",
            "csv: book.csv",
            "csv: nowhere.csv",
            f"{p}: book.csv: ",
            "nowhere.csv: no such book CSV.",
        ),
        case(
            "book-folder",
            "csv: book.csv",
            "csv: inv",
            f"{p}: book.csv: ",
            "inv: expected a book CSV but found a folder.",
        ),
        case(
            "book-is-passwd",
            "csv: book.csv",
            "csv: /etc/passwd",
            f"{p}: book.csv: /etc/passwd: not a book CSV: line 1 has none of the columns",
        ),
        case(
            "book-is-dev-zero",
            "csv: book.csv",
            "csv: /dev/zero",
            f"{p}: book.csv: /dev/zero: expected a book CSV (a regular file) but found a "
            "character device",
        ),
        case(
            "synthetic-revenue-huge",
            "  csv: book.csv",
            "  synthetic: {accounts: 5, revenue_monthly: 1.0e+15}",
            f"{p}: book.synthetic.revenue_monthly: draws reach 1e+15, above the limit of 1e+12",
        ),
        case(
            "synthetic-revenue-inf",
            "  csv: book.csv",
            "  synthetic: {accounts: 5, revenue_monthly: .inf}",
            "book.synthetic.revenue_monthly",
            "expected a finite number",
        ),
        case(
            "synthetic-contacts-1e19",
            "  csv: book.csv",
            "  synthetic: {accounts: 5, revenue_monthly: 100, contacts: 1.0e+19}",
            f"{p}: book.synthetic.contacts: draws reach 1e+19, above the limit of 10000",
        ),
        case(
            "synthetic-accounts-true",
            "  csv: book.csv",
            "  synthetic: {accounts: true, revenue_monthly: 100}",
            "book.synthetic.accounts (line",
            "expected a whole number; found true",
        ),
        Case("scenario", "empty", argv, (f"{p}: the scenario file is empty",), SCEN, content("")),
    ]


def _book() -> list[Case]:
    argv = READERS["book CSV (scenario)"][1]
    p = "{d}/" + BOOK

    def case(name: str, row: str, *expect: str) -> Case:
        return Case(
            "book CSV (scenario)",
            name,
            argv,
            ("{d}/scenario.yaml: book.csv: " + p + ": ", *expect),
            BOOK,
            append(row + "\n"),
        )

    return [
        case(
            "contacts-1e15",
            "X-1,100,200,1000000000000000,0.5,0.01,farmer-1,smb",
            "line 302, column contacts: expected a whole number from 1 to 10,000; "
            "found 1000000000000000.",
        ),
        case(
            "contacts-1e19",
            "X-1,100,200,1e19,0.5,0.01,farmer-1,smb",
            "line 302, column contacts: expected a whole number from 1 to 10,000; found 1e19.",
        ),
        case(
            "contacts-true",
            "X-1,100,200,true,0.5,0.01,farmer-1,smb",
            "line 302, column contacts: expected a whole number from 1 to 10,000; found 'true'.",
        ),
        case(
            "revenue-1e308",
            "X-1,1e308,1e308,1,0.5,0.01,farmer-1,smb",
            "line 302, column revenue_monthly: expected a number from 0 to 1e+12; found 1e308.",
        ),
        case(
            "revenue-inf",
            "X-1,inf,inf,1,0.5,0.01,farmer-1,smb",
            "line 302, column revenue_monthly: expected a number from 0 to 1e+12; found 'inf'.",
        ),
        case(
            "revenue-nan",
            "X-1,nan,100,1,0.5,0.01,farmer-1,smb",
            "line 302, column revenue_monthly: expected a number from 0 to 1e+12; found 'nan'.",
        ),
        case(
            "wallet-1e309",
            "X-1,1,1e309,1,0.5,0.01,farmer-1,smb",
            "line 302, column wallet_monthly: expected a number above 0 and at most 1e+12; "
            "found '1e309'.",
        ),
        case(
            "health-2",
            "X-1,1,2,1,2,0.01,farmer-1,smb",
            "line 302, column health: expected a number from 0 to 1; found 2.",
        ),
        case(
            "theta-nan",
            "X-1,1,2,1,0.5,nan,farmer-1,smb",
            "line 302, column churn_propensity: expected a monthly probability from 0 to 1; "
            "found 'nan'.",
        ),
        case(
            "duplicate-id",
            "ACME-0001,1,2,1,0.5,0.01,farmer-1,smb",
            "line 302, column account_id: account id 'ACME-0001' already used on line 2",
        ),
        case("short-row", "X-1,1", "line 302: expected 8 values (one per column); found 2."),
    ]


def _histories() -> list[Case]:
    cohort = READERS["cohort CSV"][1]
    hist = READERS["histories CSV"][1]
    c = "{d}/" + COHORT
    h = "{d}/" + HIST
    return [
        Case(
            "cohort CSV",
            "alive-huge",
            cohort,
            (
                f"{c}: line 2, column alive: expected at most 10,000,000 accounts; found "
                "1,000,000,000,000.",
            ),
            COHORT,
            sub("0,1000\n", "0,1000000000000\n"),
        ),
        Case(
            "cohort CSV",
            "alive-5000-digits",
            cohort,
            (f"{c}: line 2, column alive: expected a whole number; found '1111111111",),
            COHORT,
            sub("0,1000\n", "0," + "1" * 5000 + "\n"),
        ),
        Case(
            "cohort CSV",
            "alive-true",
            cohort,
            (f"{c}: line 2, column alive: expected a whole number; found 'true'.",),
            COHORT,
            sub("0,1000\n", "0,true\n"),
        ),
        Case(
            "cohort CSV",
            "alive-nan",
            cohort,
            (f"{c}: line 3, column alive: expected a whole number; found 'nan'.",),
            COHORT,
            sub("1,631\n", "1,nan\n"),
        ),
        Case(
            "cohort CSV", "empty", cohort, (f"{c}: the history CSV is empty",), COHORT, content("")
        ),
        Case(
            "histories CSV",
            "period-huge",
            hist,
            (f"{h}: line 2, column end: expected a period from 0 to 10,000; found 99999999.",),
            HIST,
            sub("a0,0,1\n", "a0,0,99999999\n"),
        ),
        Case(
            "histories CSV",
            "start-nan",
            hist,
            (
                f"{h}: line 2, column start: expected a period number (0, 1, …) or a date",
                "found 'nan'",
            ),
            HIST,
            sub("a0,0,1\n", "a0,nan,1\n"),
        ),
        Case(
            "histories CSV",
            "start-5000-digits",
            hist,
            (f"{h}: line 2, column start: expected a period number", "..."),
            HIST,
            sub("a0,0,1\n", "a0," + "9" * 5000 + ",1\n"),
        ),
    ]


def _invitation() -> list[Case]:
    argv = READERS["invitation"][1]
    p = "{d}/" + INV
    return [
        Case(
            "invitation",
            "key-typo",
            argv,
            (
                f"{p}: 1 problem: token_sha (line 7): unknown key 'token_sha' (did you mean "
                "'token_sha256'?).",
            ),
            INV,
            sub("token_sha256:", "token_sha:"),
        ),
        Case(
            "invitation",
            "control-in-name",
            argv,
            (f"{p}: not valid YAML at line 4", "U+001B (ESC)"),
            INV,
            sub("name: Jo", "name: Jo\x1b]0;pwned"),
        ),
    ]


def _options() -> list[Case]:
    d = "{d}/"

    def case(name: str, argv: tuple[str, ...], *expect: str) -> Case:
        return Case("options", name, argv, tuple(expect))

    return [
        case(
            "trials-zero",
            ("simulate", "run", d + SCEN, "--trials", "0"),
            "error: simulate run: Invalid value for '--trials': 0 is not in the range x>=1. "
            "See 'simulate run --help'.",
        ),
        case(
            "trials-text",
            ("simulate", "run", d + SCEN, "--trials", "many"),
            "error: simulate run: Invalid value for '--trials': 'many' is not a valid integer",
        ),
        case(
            "seed-negative",
            ("simulate", "run", d + SCEN, "--seed", "-1"),
            "error: simulate run: Invalid value for '--seed'",
        ),
        case(
            "format-bogus",
            ("simulate", "run", d + SCEN, "--format", "xml"),
            "error: simulate run: Invalid value for '--format': 'xml' is not one of",
        ),
        case(
            "option-typo",
            ("simulate", "run", d + SCEN, "--trails", "3"),
            "error: simulate run: No such option '--trails'. Did you mean '--trials'? "
            "See 'simulate run --help'.",
        ),
        case(
            "command-typo-simulate",
            ("simulate", "rnu", d + SCEN),
            "error: simulate: No such command 'rnu'.",
            "The commands are ",
        ),
        case(
            "command-typo-assess",
            ("assess", "scroe", d + ANS),
            "error: assess: No such command 'scroe'. Did you mean 'score'?",
        ),
        case(
            "missing-argument",
            ("assess", "show"),
            "error: assess show: Missing argument 'PROFILE'. See 'assess show --help'.",
        ),
        case(
            "export-format-bogus",
            ("assess", "export", d + PROF, "--format", "xls"),
            "error: assess export: Invalid value for '--format': 'xls' is not one of",
        ),
        case(
            "norms-missing",
            ("assess", "score", d + ANS, "-q", d + Q, "--norms", d + "nowhere.yaml"),
            d + "nowhere.yaml: no such norms file.",
        ),
        case(
            "questionnaire-unknown-id",
            ("assess", "score", d + ANS, "-q", "sales-trait"),
            "sales-trait",
        ),
        case(
            "invites-out-missing",
            ("assess", "invites", "--out", d + "nowhere"),
            "nowhere",
        ),
        case(
            "calibrate-period-bogus",
            ("simulate", "calibrate", d + COHORT, "--period", "decade"),
            "error: simulate calibrate: Invalid value for '--period'",
        ),
        case(
            "sensitivity-params-typo",
            ("simulate", "sensitivity", d + SCEN, "--params", "mgmt_change_montly"),
            "--params: unknown assumption 'mgmt_change_montly'",
            "(did you mean 'mgmt_change_monthly'?)",
        ),
    ]


CASES: list[Case] = [
    *_generic(),
    *_questionnaire(),
    *_answers(),
    *_answers_csv(),
    *_not_ours(),
    *_profiles(),
    *_norms(),
    *_irt(),
    *_outcomes(),
    *_scenario(),
    *_book(),
    *_histories(),
    *_invitation(),
    *_options(),
]

COUNT_BY_READER: dict[str, int] = dict(sorted(Counter(case.reader for case in CASES).items()))
"""How many catalogued bad inputs each reader is given (the issue's closing note quotes it)."""
