#!/usr/bin/env bash
# Deploy every item ready for deployment that automation may take, then mark it done and check that it
# is: the deploy step of the aitrackdown automation guides, run against `trackdown`.
#   deploy-done.sh            (in the project folder; DEPLOY is the deploy command, default true)
set -euo pipefail

deploy=${DEPLOY:-true}
for ticket in $(trackdown status --state ready_for_deployment --format ids); do
  [[ "$(trackdown show "$ticket" --field state_metadata.automation_eligible)" == "true" ]] || { echo "needs approval: $ticket"; continue; }
  "$deploy" "$ticket"
  trackdown update "$ticket" --state done --transitioned-by deployment-automation --transition-reason deployed >/dev/null
  [[ "$(trackdown show "$ticket" --field state)" == "done" ]]
  echo "deployed $ticket"
done
