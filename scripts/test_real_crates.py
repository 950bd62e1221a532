#!/usr/bin/env python3
"""Tests of the pure parts of scripts/real-crates.py (run by test-all.sh): the corpus list, lcov,
libtest's `--list` output, the comparisons and the table. Nothing here builds or fetches."""

import importlib.util
import json
import unittest
from pathlib import Path

spec = importlib.util.spec_from_file_location(
    "real_crates", Path(__file__).with_name("real-crates.py")
)
rc = importlib.util.module_from_spec(spec)
spec.loader.exec_module(rc)


def test(target, name, verdict="meaningful"):
    """A report's test entry with what the benchmark reads."""
    return {"target": target, "name": name, "verdict": verdict}


class Corpus(unittest.TestCase):
    def test_pairs_with_comments_and_blank_lines(self):
        text = "# corpus\nsemver 1.0.27\n\nhex 0.4.3  # pinned\ntokio-util 0.7.20 --features full\n"
        self.assertEqual(rc.parse_corpus(text), [("semver", "1.0.27", []), ("hex", "0.4.3", []),
                                                 ("tokio-util", "0.7.20", ["--features", "full"])])

    def test_a_malformed_line_is_an_error_naming_it(self):
        for text, line in (("semver 1.0.27\nhex\n", "hex"), ("hex --features x\n", "hex --features x"),
                           ("hex 0.4.3 extra\n", "hex 0.4.3 extra")):
            with self.assertRaisesRegex(ValueError, f"line \\d: expected `NAME VERSION \\[FLAGS..\\]`, found `{line}`"):
                rc.parse_corpus(text)

    def test_the_committed_corpus_has_forty_distinct_pinned_crates(self):
        crates = rc.parse_corpus(Path(__file__).with_name("real-crates.txt").read_text())
        names = [name for name, _, _ in crates]
        self.assertGreaterEqual(len(crates), 40)
        self.assertEqual(len(names), len(set(names)), "a crate is listed twice")
        for required in ("serde_json", "memchr", "bytes", "chrono", "regex-syntax", "itertools",
                         "tokio-util", "thiserror", "async-trait", "autocfg"):
            self.assertIn(required, names)
        for _, version, _ in crates:
            self.assertRegex(version, r"^\d+\.\d+\.\d+$")


class Lcov(unittest.TestCase):
    def test_counts_per_file_and_line_with_repeated_records_summed(self):
        text = ("TN:\nSF:/c/src/lib.rs\nDA:3,0\nDA:4,2\nDA:3,5\nend_of_record\n"
                "SF:/c/src/a.rs\nDA:1,0,abc\nLF:1\nend_of_record\n")
        self.assertEqual(rc.parse_lcov(text), {"/c/src/lib.rs": {3: 5, 4: 2}, "/c/src/a.rs": {1: 0}})

    def test_records_outside_a_file_are_ignored(self):
        self.assertEqual(rc.parse_lcov("DA:1,1\nSF:/x.rs\nend_of_record\nDA:2,2\n"), {"/x.rs": {}})


LISTING = """\
   Compiling demo v0.1.0 (/c)
     Running unittests src/lib.rs (target/llvm-cov-target/debug/deps/demo-1)
tests::a: test
tests::b: test
tests::heavy: bench
     Running tests/api.rs (target/llvm-cov-target/debug/deps/api-2)
works: test
     Running tests/custom.rs (target/llvm-cov-target/debug/deps/custom-3)
checking 3 cases... ok
"""


class Listing(unittest.TestCase):
    def test_names_per_binary_without_benchmarks(self):
        self.assertEqual(dict(rc.parse_listing(LISTING)), {
            "src/lib.rs": ["tests::a", "tests::b"], "tests/api.rs": ["works"], "tests/custom.rs": []})

    def test_a_harness_false_target_is_one_test_whatever_it_prints(self):
        labels = {"src/lib.rs": "lib", "tests/api.rs": "test:api", "tests/custom.rs": "test:custom"}
        listed = rc.listed_tests(rc.parse_listing(LISTING), labels, {"tests/custom.rs"})
        self.assertEqual(listed, {("lib", "tests::a"), ("lib", "tests::b"), ("test:api", "works"),
                                  ("test:custom", "*")})

    def test_harness_false_paths_from_the_manifest(self):
        manifest = ('[package]\nname = "demo"\n[[test]]\nname = "custom"\nharness = false\n'
                    '[[test]]\nname = "api"\n[[test]]\nname = "w"\npath = "t/w.rs"\nharness = false\n'
                    '[[bench]]\nname = "b"\nharness = false\n')
        self.assertEqual(rc.harness_false_paths(manifest), {"tests/custom.rs", "t/w.rs"})

    def test_target_labels_from_cargo_metadata(self):
        metadata = {"packages": [{"targets": [
            {"kind": ["lib"], "name": "demo", "src_path": "/c/src/lib.rs"},
            {"kind": ["proc-macro"], "name": "demo_macros", "src_path": "/c/macros.rs"},
            {"kind": ["bin"], "name": "tool", "src_path": "/c/src/main.rs"},
            {"kind": ["test"], "name": "api", "src_path": "/c/tests/api.rs"},
            {"kind": ["custom-build"], "name": "build-script-build", "src_path": "/c/build.rs"}]}]}
        self.assertEqual(rc.target_labels(metadata, "/c"), {
            "src/lib.rs": "lib", "macros.rs": "lib", "src/main.rs": "bin:tool", "tests/api.rs": "test:api"})


class Found(unittest.TestCase):
    REPORT = {"tests": [test("lib", "tests::a"), test("lib", "tests::gone", "not_built"),
                        test("doc", "src/lib.rs - f (line 3)"), test("test:custom", "main"),
                        test("test:api", "works", "unknown")]}

    def test_doctests_and_not_built_tests_are_not_expected_in_a_binary(self):
        self.assertEqual(rc.found_tests(self.REPORT, {"test:custom"}),
                         {("lib", "tests::a"), ("test:custom", "*"), ("test:api", "works")})

    def test_verdict_counts_keep_doctests_apart(self):
        self.assertEqual(rc.verdict_counts(self.REPORT), {
            "doc:meaningful": 1, "meaningful": 2, "not_built": 1, "unknown": 1})


class Lines(unittest.TestCase):
    def test_a_line_differs_when_one_tool_saw_it_run_and_the_other_did_not(self):
        report = {"files": [{"file": "src/lib.rs", "coverable": [1, 2, 3, 4], "executed": [1, 2]}]}
        lcov = {"/c/src/lib.rs": {1: 4, 2: 0, 3: 0, 9: 7}}
        # 1 agrees, 2 we ran and llvm-cov did not, 3 agrees, 4 llvm-cov never instrumented.
        self.assertEqual(rc.compare_lines(report, lcov, "/c"), (4, 1, ["src/lib.rs:2"]))

    def test_a_file_llvm_cov_never_saw_counts_every_executed_line(self):
        report = {"files": [{"file": "src/a.rs", "coverable": [5, 6], "executed": [5, 6]}]}
        self.assertEqual(rc.compare_lines(report, {}, "/c")[:2], (2, 2))


class Coverable(unittest.TestCase):
    LABELS = {"src/lib.rs": "lib", "src/main.rs": "bin:tool", "tests/api.rs": "test:api"}

    def test_lines_one_tool_counts_and_the_other_does_not_are_counted_apart(self):
        report = {"files": [{"file": "src/lib.rs", "coverable": [1, 2, 3], "executed": [1]}]}
        # 1 and 2 both count; 3 only the report; 7 only llvm-cov (whatever its count).
        lcov = {"/c/src/lib.rs": {1: 4, 2: 0, 7: 0}}
        self.assertEqual(rc.compare_coverable(report, lcov, "/c", self.LABELS),
                         (1, 1, ["src/lib.rs:3", "src/lib.rs:7"]))

    def test_a_library_file_only_llvm_cov_has_counts_and_test_or_binary_files_do_not(self):
        report = {"files": [{"file": "src/lib.rs", "coverable": [1], "executed": [1]}]}
        lcov = {"/c/src/lib.rs": {1: 1}, "/c/src/either_or_both.rs": {4: 0, 5: 2},
                "/c/src/main.rs": {1: 1}, "/c/src/bin/x.rs": {1: 1}, "/c/tests/api.rs": {3: 1}}
        self.assertEqual(rc.compare_coverable(report, lcov, "/c", self.LABELS),
                         (0, 2, ["src/either_or_both.rs:4", "src/either_or_both.rs:5"]))

    def test_the_table_shows_both_sides_and_sums_them(self):
        results = [{"crate": "hex", "version": "0.4.3", "ok": True, "found": 1, "listed": 1,
                    "lines": 10, "lines_differ": 0, "coverable_only_truecov": 2,
                    "coverable_only_llvm_cov": 3, "verdicts": {"meaningful": 1}}]
        table = rc.render_table(results, scan_only=False).splitlines()
        self.assertRegex(table[1], r"^hex 0\.4\.3\s+yes\s+1/1\s+10\s+0\s+\+2/-3\s+-\s+-\s+1 0 0 0 0 0$")
        self.assertTrue(table[3].endswith("; 5 lines coverable for one tool only"), table[3])


class Table(unittest.TestCase):
    def test_rows_failures_and_totals(self):
        results = [
            {"crate": "hex", "version": "0.4.3", "ok": True, "found": 20, "listed": 20, "lines": 100,
             "lines_differ": 0, "truecov_secs": 3.25, "llvm_cov_secs": 2.0,
             "verdicts": {"meaningful": 19, "smoke": 1, "doc:meaningful": 4}},
            {"crate": "serde_json", "version": "1.0.154", "ok": False,
             "error": "error: package ID specification `serde_json` is ambiguous"}]
        table = rc.render_table(results, scan_only=False).splitlines()
        self.assertRegex(table[1], r"^hex 0\.4\.3\s+yes\s+20/20\s+100\s+0\s+-\s+3\.2\s+2\.0\s+19 1 0 0 0 0$")
        self.assertIn("NO", table[2])
        self.assertIn("(error: package ID specification `serde_json` is ambiguous)", table[2])
        self.assertEqual(table[3], "1/2 crates ran; verdicts M=19 S=1 T=0 A=0 nb=0 ?=0")
        self.assertEqual(table[4], "found == listed on 1/1 crates that ran; 0 differing lines in all; "
                                   "0 lines coverable for one tool only")

    def test_scan_only_has_no_coverage_columns(self):
        results = [{"crate": "hex", "version": "0.4.3", "ok": True, "found": 20,
                    "verdicts": {"meaningful": 20}}]
        table = rc.render_table(results, scan_only=True).splitlines()
        self.assertNotIn("differ", table[0])
        self.assertRegex(table[1], r"^hex 0\.4\.3\s+yes\s+20/-\s+20 0 0 0 0 0$")


class Review(unittest.TestCase):
    REVIEW = Path(__file__).resolve().parent.parent / "tests/real-crates/review.json"

    def test_every_entry_is_decided_with_a_reason_once(self):
        entries = json.loads(self.REVIEW.read_text())
        corpus = {name: version for name, version, _ in
                  rc.parse_corpus(Path(__file__).with_name("real-crates.txt").read_text())}
        seen = set()
        for e in entries:
            key = (e["crate"], e["target"], e["test"])
            self.assertNotIn(key, seen, f"reviewed twice: {key}")
            seen.add(key)
            self.assertIn(e["verdict"], ("smoke", "tautological", "assertion_free"), key)
            self.assertIsInstance(e["agree"], bool, key)
            self.assertTrue(e["reason"].strip(), key)
            self.assertEqual(corpus.get(e["crate"]), e["version"], f"{key}: not the pinned version")


if __name__ == "__main__":
    unittest.main()
