#!/usr/bin/env python3
"""Tests of scripts/module-cycles.py on small hand-written crates (run by test-all.sh)."""

import importlib.util
import tempfile
import unittest
from pathlib import Path

spec = importlib.util.spec_from_file_location(
    "module_cycles", Path(__file__).with_name("module-cycles.py")
)
module_cycles = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module_cycles)


def crate(files):
    """A temporary `src/` directory holding `files` (relative path -> text)."""
    tmp = tempfile.TemporaryDirectory()
    src = Path(tmp.name) / "src"
    for rel, text in files.items():
        path = src / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp, src


def found(files):
    tmp, src = crate(files)
    with tmp:
        known, graph = module_cycles.edges(src)
        return [
            [module_cycles.name(m) for m in c]
            for c in module_cycles.cycles(sorted(known), graph)
        ]


class Cycles(unittest.TestCase):
    def test_siblings_that_import_each_other_are_a_cycle(self):
        cycles = found(
            {
                "lib.rs": "mod a;\nmod b;\n",
                "a.rs": "use crate::b::{self, B};\npub struct A;\n",
                "b/mod.rs": "pub struct B;\nfn f() { super::a::A; }\n",
            }
        )
        self.assertEqual(cycles, [["a", "b"]])

    def test_a_parent_that_reexports_a_child_using_its_items_is_a_cycle(self):
        cycles = found(
            {
                "lib.rs": "pub mod run;\n",
                "run/mod.rs": "mod exec;\npub use exec::go;\npub struct Exe;\n",
                "run/exec.rs": "use super::Exe;\npub fn go(_: Exe) {}\n",
            }
        )
        self.assertEqual(cycles, [["run", "run::exec"]])

    def test_tests_comments_and_strings_make_no_edge(self):
        cycles = found(
            {
                "lib.rs": "mod a;\nmod b;\n",
                "a.rs": "use crate::b::B;\npub struct A;\n",
                "b.rs": (
                    "pub struct B;\n"
                    "// crate::a::A\n"
                    'const S: &str = "crate::a::A";\n'
                    'const R: &str = r#"super::a"#;\n'
                    "#[cfg(test)]\nmod tests {\n    use super::super::a::A;\n}\n"
                ),
            }
        )
        self.assertEqual(cycles, [])

    def test_a_chain_is_no_cycle_and_paths_resolve_to_the_deepest_module(self):
        tmp, src = crate(
            {
                "lib.rs": "mod read;\nmod measure;\n",
                "read/mod.rs": "mod eval;\npub use eval::Evaluated;\n",
                "read/eval.rs": "pub struct Evaluated;\n",
                "measure.rs": "fn m() -> crate::read::eval::Evaluated { todo!() }\n",
            }
        )
        with tmp:
            known, graph = module_cycles.edges(src)
            self.assertEqual(module_cycles.cycles(sorted(known), graph), [])
            self.assertEqual(sorted(graph[("measure",)]), [("read", "eval")])


if __name__ == "__main__":
    unittest.main()
