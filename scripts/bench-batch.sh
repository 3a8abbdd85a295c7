#!/usr/bin/env bash
# Compares Headroom's adaptive batcher with accelerate's 0.9× rule, Lightning's
# power and binsearch tuners and an oracle on the simulated device (HeadroomTestKit's
# SimulatedDevice), and prints OOMs until settled and throughput side by side,
# with a verdict on the issue's bars. Figures are simulated time: the same on every run.
#
#   scripts/bench-batch.sh
#
# The benchmark is its own package (Benchmarks/), so `swift test` never builds it.
set -euo pipefail
cd "$(dirname "$0")/.."
exec swift run -c release --package-path Benchmarks batch-benchmark
