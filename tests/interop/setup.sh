#!/usr/bin/env bash
# Creates tests/interop/.venv with the official Tencent Cloud and Alibaba Cloud signing code and SDK
# clients, at the versions pinned in requirements.txt, for signature_crosscheck.py and sdk_interop.py.
#
# Idempotent: when the virtualenv is complete for the current requirements.txt it only checks that the
# packages import, and exits 0 at once. Needs python3 (3.11; any 3.8+ works) with the venv module, and
# pip reaching PyPI. Exits non-zero with a message saying what is missing otherwise.
#
# Environment: PYTHON, the interpreter that creates the virtualenv (default python3).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$here/.venv"
requirements="$here/requirements.txt"
stamp="$venv/.cloudspec-requirements.sha256"
python="${PYTHON:-python3}"

die() {
    printf 'tests/interop/setup.sh: %b\n' "$*" >&2
    exit 1
}

# The official modules the cross-check and the SDK interop test call, and the pinned distributions that
# must provide them.
check_installed() {
    "$venv/bin/python" - "$requirements" <<'EOF'
import sys
from importlib import metadata

import alibabacloud_cloudapi20160714.client  # noqa: F401
import alibabacloud_cloudcontrol20220830.client  # noqa: F401
import alibabacloud_openapi_util.client  # noqa: F401
import alibabacloud_tea_openapi.models  # noqa: F401
import tencentcloud.apigateway.v20180808.apigateway_client  # noqa: F401
import tencentcloud.common.abstract_client  # noqa: F401
import tencentcloud.common.sign  # noqa: F401
import tencentcloud.teo.v20220901.teo_client  # noqa: F401
from Tea.request import TeaRequest  # noqa: F401

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
EOF
}

[ -f "$requirements" ] || die "missing $requirements"
want="$(sha256sum "$requirements" | cut -d' ' -f1)"

# Fast path: a complete virtualenv for this requirements.txt.
if [ -x "$venv/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ] && check_installed 2>/dev/null; then
    exit 0
fi

command -v "$python" >/dev/null 2>&1 ||
    die "'$python' not found: install Python 3.11 (on Debian: apt-get install python3 python3-venv), or set PYTHON"
"$python" -c 'import sys; sys.exit(sys.version_info < (3, 8))' ||
    die "'$python' is $("$python" --version 2>&1); the cross-check needs Python 3.8 or later (3.11 expected)"

# Two runs at once must not build the same virtualenv together.
if command -v flock >/dev/null 2>&1; then
    exec 9>"${TMPDIR:-/tmp}/cloudspec-interop-venv-$(printf '%s' "$venv" | sha256sum | cut -c1-16).lock"
    flock 9
    if [ -x "$venv/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ] && check_installed 2>/dev/null; then
        exit 0
    fi
fi

echo "tests/interop/setup.sh: creating $venv with the pinned official SDK packages" >&2
rm -rf "$venv"
pip=("$venv/bin/python" -m pip)
if ! venv_error="$("$python" -m venv "$venv" 2>&1)"; then
    rm -rf "$venv"
    # Debian's python3 without python3-venv has no ensurepip: a virtualenv without pip, filled by the
    # interpreter's own pip, still works.
    if "$python" -m pip --version >/dev/null 2>&1 && "$python" -m venv --without-pip "$venv" >/dev/null 2>&1; then
        pip=("$python" -m pip --python "$venv/bin/python")
    else
        rm -rf "$venv"
        die "cannot create a virtualenv with '$python -m venv':\n$venv_error\n(on Debian: apt-get install python3-venv)"
    fi
fi

if ! "${pip[@]}" install --disable-pip-version-check --no-input --quiet -r "$requirements"; then
    rm -rf "$venv"
    die "pip could not install the pinned packages of $requirements (is PyPI reachable?)"
fi
if ! check_output="$(check_installed 2>&1)"; then
    rm -rf "$venv"
    die "the virtualenv was created but the official packages are not usable:\n$check_output"
fi
printf '%s\n' "$want" >"$stamp"
echo "tests/interop/setup.sh: ready" >&2
