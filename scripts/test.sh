#!/usr/bin/env bash
# Install everything the test suite needs, then run it. This is the README's test command.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK" \
        || ! command -v virtuoso-t >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # virtuoso-opensource: tests/test_engines.py runs the catalogue on Virtuoso (its dba password
    # question is left unanswered, as noninteractive debconf does; the tests use their own database)
    apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk virtuoso-opensource >/dev/null
fi

python -m pip install -q --disable-pip-version-check -e ".[test]"

# The real parts were installed above: a test that finds one missing fails instead of skipping.
export FTZGRAPH_REQUIRE_REAL_PARTS=1
status=0
python -m pytest "$@" || status=$?
# pytest exits 5 when it collects no test; that is not a failure of the suite.
if [ "$status" -eq 5 ]; then status=0; fi
exit "$status"
