//! Instrumented build of a workspace's test targets and the per-test runner.
