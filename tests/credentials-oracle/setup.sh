#!/usr/bin/env bash
# Creates tests/credentials-oracle/.venv with the official credential libraries pinned in
# requirements.txt, for oracle.py. Idempotent: a complete virtualenv for the current requirements.txt
# is only checked. Needs python3 (3.11; any 3.9+ works) with the venv module, and pip reaching PyPI.
#
# Environment: PYTHON, the interpreter that creates the virtualenv (default python3).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$here/.venv"
requirements="$here/requirements.txt"
stamp="$venv/.cloudspec-requirements.sha256"
python="${PYTHON:-python3}"

die() {
    printf 'tests/credentials-oracle/setup.sh: %b\n' "$*" >&2
    exit 1
}

check_installed() {
    "$venv/bin/python" - "$requirements" <<'PY'
import sys
from importlib import metadata

import alibabacloud_credentials.provider  # noqa: F401
import tencentcloud.common.credential  # noqa: F401

wrong = []
for line in open(sys.argv[1], encoding="utf-8"):
    line = line.split("#", 1)[0].strip()
    if not line:
        continue
    name, version = line.split("==")
    try:
        installed = metadata.version(name)
    except metadata.PackageNotFoundError:
        installed = None
    if installed != version:
        wrong.append(f"{name}: want {version}, have {installed}")
if wrong:
    sys.exit("not the pinned versions: " + "; ".join(wrong))
PY
}

[ -f "$requirements" ] || die "missing $requirements"
want="$(sha256sum "$requirements" | cut -d' ' -f1)"
if [ -x "$venv/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ] && check_installed 2>/dev/null; then
    exit 0
fi

command -v "$python" >/dev/null 2>&1 ||
    die "'$python' not found: install Python 3.11 (on Debian: apt-get install python3 python3-venv), or set PYTHON"
"$python" -c 'import sys; sys.exit(sys.version_info < (3, 9))' ||
    die "'$python' is $("$python" --version 2>&1); the oracle needs Python 3.9 or later (3.11 expected)"

# Two runs at once must not build the same virtualenv together.
if command -v flock >/dev/null 2>&1; then
    exec 9>"${TMPDIR:-/tmp}/cloudspec-credentials-oracle-$(printf '%s' "$venv" | sha256sum | cut -c1-16).lock"
    flock 9
    if [ -x "$venv/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ] && check_installed 2>/dev/null; then
        exit 0
    fi
fi

echo "tests/credentials-oracle/setup.sh: creating $venv with the pinned official credential libraries" >&2
rm -rf "$venv"
pip=("$venv/bin/python" -m pip)
if ! venv_error="$("$python" -m venv "$venv" 2>&1)"; then
    rm -rf "$venv"
    if "$python" -m pip --version >/dev/null 2>&1 && "$python" -m venv --without-pip "$venv" >/dev/null 2>&1; then
        pip=("$python" -m pip --python "$venv/bin/python")
    else
        rm -rf "$venv"
        die "cannot create a virtualenv with '$python -m venv':\n$venv_error\n(on Debian: apt-get install python3-venv)"
    fi
fi
if ! "${pip[@]}" install --disable-pip-version-check --no-input --quiet --no-deps -r "$requirements"; then
    rm -rf "$venv"
    die "pip could not install the pinned packages of $requirements (is PyPI reachable?)"
fi
if ! check_output="$(check_installed 2>&1)"; then
    rm -rf "$venv"
    die "the virtualenv was created but the official packages are not usable:\n$check_output"
fi
printf '%s\n' "$want" >"$stamp"
echo "tests/credentials-oracle/setup.sh: ready" >&2
