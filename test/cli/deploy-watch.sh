#!/usr/bin/env bash
# Deploy each item as it becomes ready for deployment, when automation may take it; ask for a person
# otherwise. The pattern of the aitrackdown automation guides, run against `trackdown`.
#   deploy-watch.sh            (in the project folder; DEPLOY is the deploy command, default echo)
set -euo pipefail

deploy=${DEPLOY:-echo}
trackdown status --state ready_for_deployment --watch | while read -r ticket; do
  if [[ "$(trackdown show "$ticket" --field state_metadata.automation_eligible)" == "true" ]]; then
    echo "deploying $ticket: $(trackdown show "$ticket" --field title)"
    "$deploy" "$ticket" >/dev/null
  else
    echo "needs approval: $ticket"
  fi
done
