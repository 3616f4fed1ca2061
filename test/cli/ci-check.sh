#!/usr/bin/env bash
# A CI job over a project's task files: the problems as SARIF for code scanning, then fail on any error
# or warning, or on an llms.txt that no longer matches the tasks.
#   ci-check.sh [SARIF_FILE]   (in the project folder)
set -uo pipefail

failed=0
trackdown check --format sarif >"${1:-trackdown.sarif}" || failed=1
trackdown check --max-warnings 0 || failed=1
trackdown llms --check || failed=1
exit "$failed"
