#!/usr/bin/env bash
# The OpenFisca yardstick, end to end on one district folder, under GNU time.
#
#   bench/openfisca/run.sh DISTRICT_DIR [run.py options]
#   bench/openfisca/run.sh --setup      # the virtualenv only
#
# Creates the virtualenv target/openfisca-venv if it is missing and installs
# requirements.txt into it (again whenever requirements.txt changes), then runs run.py with
# --month 2024-06 and --out target/openfisca-out/<district>/results.csv unless the options
# say otherwise. GNU time prints the wall time and the peak resident memory at the end.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
venv="$root/target/openfisca-venv"
python="${PYTHON:-$(command -v python3.11 || command -v python3)}"

if [ $# -lt 1 ]; then
    echo "usage: $0 DISTRICT_DIR [run.py options]   or   $0 --setup" >&2
    exit 2
fi
data="$1"
shift

if [ ! -x "$venv/bin/python" ]; then
    echo "creating $venv with $python" >&2
    "$python" -m venv "$venv"
fi
if ! cmp -s "$here/requirements.txt" "$venv/requirements.installed.txt"; then
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements.txt"
    cp "$here/requirements.txt" "$venv/requirements.installed.txt"
fi

if [ "$data" = "--setup" ]; then
    # The virtualenv only (cargo xtask bench-eval --openfisca times run.py itself).
    exit 0
fi

out="$root/target/openfisca-out/$(basename "$data")/results.csv"
/usr/bin/time -f "%e s %M KB" \
    "$venv/bin/python" "$here/run.py" "$data" --month 2024-06 --out "$out" "$@"
