#!/usr/bin/env python3
"""Tests of the pure parts of scripts/bench-vs-mutants.py (run by test-all.sh): reading both
tools' outcomes, the per-mutant join and the table. Nothing here builds or fetches."""

import importlib.util
import unittest
from pathlib import Path

spec = importlib.util.spec_from_file_location(
    "bench_vs_mutants", Path(__file__).with_name("bench-vs-mutants.py")
)
bm = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bm)


def scenario(name, summary):
    """An entry of cargo-mutants' outcomes.json with what the benchmark reads."""
    return {"scenario": {"Mutant": {"name": name}}, "summary": summary}


class Reading(unittest.TestCase):
    def test_cargo_mutants_summaries_in_truecov_words_without_the_baseline(self):
        outcomes = {"outcomes": [{"scenario": "Baseline", "summary": "Success"},
                                 scenario("a", "CaughtMutant"), scenario("b", "MissedMutant"),
                                 scenario("c", "Unviable"), scenario("d", "Timeout")]}
        self.assertEqual(bm.cargo_mutants_outcomes(outcomes),
                         {"a": "caught", "b": "missed", "c": "unviable", "d": "timeout"})

    def test_truecov_mutants_of_every_proved_function(self):
        report = {"functions": [
            {"prove": {"mutants": [{"name": "a", "outcome": "caught"}]}},
            {"prove": None},
            {"prove": {"mutants": [{"name": "b", "outcome": "not_covered"},
                                   {"name": "c", "outcome": "missed"}]}}]}
        self.assertEqual(bm.truecov_outcomes(report),
                         {"a": "caught", "b": "not_covered", "c": "missed"})


class Agreement(unittest.TestCase):
    def test_timeout_is_caught_and_not_covered_is_kept_apart(self):
        theirs = {"a": "timeout", "b": "missed", "c": "missed", "d": "caught", "e": "unviable",
                  "f": "caught", "g": "missed"}
        ours = {"a": "caught", "b": "missed", "c": "caught", "d": "caught", "e": "unviable",
                "f": "unviable", "g": "not_covered", "h": "caught"}
        a = bm.agreement(theirs, ours)
        self.assertEqual((a["judged"], a["judged_agree"]), (4, 3))
        self.assertEqual((a["unviable"], a["unviable_agree"]), (2, 1))
        self.assertEqual(a["apart"], {"not_covered/missed": 1})
        self.assertEqual(a["disagreements"], [("c", "missed", "caught"), ("f", "caught", "unviable")])
        self.assertEqual((a["only_truecov"], a["only_cargo_mutants"]), (["h"], []))
        self.assertEqual((a["cargo_mutants"], a["truecov"]), (7, 8))

    def test_table_row_has_counts_percent_and_ratio_to_the_warm_time(self):
        a = bm.agreement({"a": "caught", "b": "missed"}, {"a": "caught", "b": "caught"})
        row = bm.table([("x@1", a, 30.0, 15.0, 10.0)]).splitlines()[2]
        self.assertEqual(row, "| x@1 | 2 / 2 | 1/2 (50.0%) | 0/0 | - | 30.0 | 15.0 | 10.0 | 3.0x |")

    def test_a_kept_run_lasted_from_its_start_to_its_end(self):
        outcomes = {"start_time": "2026-12-07T13:06:00.089664271Z",
                    "end_time": "2026-12-07T13:12:20.318876562Z"}
        self.assertAlmostEqual(bm.kept_seconds(outcomes), 380.229212, places=5)


if __name__ == "__main__":
    unittest.main()
