"""``assess`` imports a subcommand's module only when that command runs or is listed."""

from __future__ import annotations

import json
import subprocess
import sys

from click.testing import CliRunner

from assess.cli import LAZY_COMMANDS, cli
from tests.conftest import REPO_ROOT


def test_importing_the_cli_imports_no_other_command_module() -> None:
    code = "import json, sys; import assess.cli; print(json.dumps(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO_ROOT, check=True
    )
    loaded = set(json.loads(result.stdout))
    modules = {target.partition(":")[0] for target in LAZY_COMMANDS.values()}
    assert modules & loaded == set()
    assert "assess.adaptive" not in loaded
    assert "textual" not in loaded


def test_every_lazy_command_is_listed_and_runs() -> None:
    runner = CliRunner()
    listing = runner.invoke(cli, ["--help"])
    assert listing.exit_code == 0
    for name in LAZY_COMMANDS:
        assert f"  {name} " in listing.output
        shown = runner.invoke(cli, [name, "--help"])
        assert shown.exit_code == 0, shown.output
        assert f"Usage: cli {name}" in shown.output or f"{name} [OPTIONS]" in shown.output
    missing = runner.invoke(cli, ["analyse"])
    assert missing.exit_code == 2
    assert "analyze" in missing.output  # click's suggestion sees the lazy names
