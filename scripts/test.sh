#!/usr/bin/env bash
# Install everything the test suite needs, then run it. This is the README's test command.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk >/dev/null
fi

python -m pip install -q --disable-pip-version-check -e ".[test]"

status=0
python -m pytest "$@" || status=$?
# pytest exits 5 when it collects no test; that is not a failure of the suite.
if [ "$status" -eq 5 ]; then status=0; fi
exit "$status"
