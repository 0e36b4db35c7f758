#!/usr/bin/env bash
# `make demo`: the main job on the bundled defaults.
set -euo pipefail
bin=${1:-.venv/bin}
"$bin/assess" --version
"$bin/simulate" --version
