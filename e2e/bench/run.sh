#!/usr/bin/env bash
# Operator benchmark on the e2e control plane: apply→first Pod, stage hand-off latency p50/p99,
# and 200/1000 chains applied at once (time to every first Pod, operator peak RSS and CPU);
# then the cost of live progress with 200 stages running whose trainers answer (API requests per
# second, operator CPU). Builds what it needs, starts and stops its own cluster. Results: e2e/target/bench/.
#   e2e/bench/run.sh [-Dbench.handoffChains=100] [-Dbench.bulkSmall=200] [-Dbench.bulkLarge=1000]
#                    [-Dbench.progressStages=200] [-Dbench.progressWindowSeconds=90]
#   BENCH=ProgressLoadBenchmark e2e/bench/run.sh    # one of the two
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -B -q -pl api,operator -am -DskipTests install
./mvnw -B -pl e2e verify -Dit.test="${BENCH:-OperatorBenchmark,ProgressLoadBenchmark}" -Dfailsafe.failIfNoSpecifiedTests=false "$@"
cat e2e/target/bench/*.txt
