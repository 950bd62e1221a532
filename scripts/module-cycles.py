#!/usr/bin/env python3
"""Lists import cycles between the modules of each crate of the workspace.

A module is a file (`foo.rs`, or `foo/mod.rs` for `foo`). Module A depends on module B when A's
code names a path into B: a `use` declaration (`use crate::read::eval::Evaluator;`,
`use super::{binary, lines::Line}`) or a path in code (`crate::score::join(..)`,
`super::TestBinary`, `child::f()` for a module A declares), resolved to the longest prefix
that names a module. `#[cfg(test)]` items are left out (a test module's `use super::*` is not
a dependency of the code), and so are `mod x;` declarations themselves. Cycles are the
strongly connected components of that graph with more than one module.

    scripts/module-cycles.py [--libraries | CRATE_SRC_DIR...]

Without arguments, checks `src/` and every `<member>/src/` of the workspace; `--libraries`
checks the library crates only (every `<member>/src/lib.rs`). Prints each cycle with the edges
that make it (file:line of a reference) and exits 1 if there is any.
"""

import re
import sys
from pathlib import Path

TOKEN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|::|[{}(),;*#\[\]!]|\S")


def strip(text):
    """Source text with comments, strings and char literals blanked (newlines kept)."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            i = j
        elif text.startswith("/*", i):
            depth, j = 1, i + 2
            while j < n and depth:
                if text.startswith("/*", j):
                    depth, j = depth + 1, j + 2
                elif text.startswith("*/", j):
                    depth, j = depth - 1, j + 2
                else:
                    j += 1
            out.append("\n" * text.count("\n", i, j))
            i = j
        elif (m := re.compile(r'b?r(#*)"').match(text, i)) and (
            i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")
        ):
            end = '"' + m.group(1)
            j = text.find(end, m.end())
            j = n if j < 0 else j + len(end)
            out.append('""' + "\n" * text.count("\n", i, j))
            i = j
        elif c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            out.append('""' + "\n" * text.count("\n", i, j))
            i = j + 1
        elif c == "'" and (m := re.compile(r"'(\\.[^']*|[^\\'])'").match(text, i)):
            out.append("' '")
            i = m.end()
        else:
            out.append(c)
            i += 1
    return "".join(out)


def tokens(text):
    """(token, line) pairs of stripped source text."""
    result, line, pos = [], 1, 0
    for m in TOKEN.finditer(text):
        line += text.count("\n", pos, m.start())
        pos = m.start()
        result.append((m.group(), line))
    return result


def without_test_items(toks):
    """Tokens with every `#[cfg(test)]` item left out."""
    out, i = [], 0
    while i < len(toks):
        words = [t for t, _ in toks[i : i + 7]]
        if words == ["#", "[", "cfg", "(", "test", ")", "]"]:
            j, depth = i + 7, 0
            while j < len(toks):
                t = toks[j][0]
                if t in "{([":
                    depth += 1
                elif t in "})]":
                    depth -= 1
                    if depth == 0 and t == "}":
                        j += 1
                        break
                elif t == ";" and depth == 0:
                    j += 1
                    break
                j += 1
            i = j
        else:
            out.append(toks[i])
            i += 1
    return out


def use_paths(toks, i):
    """The paths of the use tree starting at toks[i]; returns (paths, index after it)."""
    paths = []

    def tree(i, prefix):
        segs = list(prefix)
        while i < len(toks):
            t, line = toks[i]
            if t == "{":
                i += 1
                while toks[i][0] != "}":
                    i = tree(i, segs)
                    if toks[i][0] == ",":
                        i += 1
                return i + 1
            if t == "*":
                paths.append((segs, line))
                return i + 1
            if re.match(r"[A-Za-z_]", t):
                segs = segs + [t]
                i += 1
                if i < len(toks) and toks[i][0] == "as":
                    i += 2
                if i < len(toks) and toks[i][0] == "::":
                    i += 1
                    continue
                paths.append((segs, line))
                return i
            return i
        return i

    i = tree(i, [])
    return paths, i


def references(toks):
    """Every path (segments, line) the tokens name: in use trees and in code."""
    refs, i = [], 0
    while i < len(toks):
        t, line = toks[i]
        if t == "use" and (i == 0 or toks[i - 1][0] != "::"):
            paths, i = use_paths(toks, i + 1)
            refs.extend(paths)
            continue
        if re.match(r"[A-Za-z_]", t) and (i == 0 or toks[i - 1][0] != "::"):
            segs, j = [t], i + 1
            while j + 1 < len(toks) and toks[j][0] == "::" and re.match(
                r"[A-Za-z_]", toks[j + 1][0]
            ):
                segs.append(toks[j + 1][0])
                j += 2
            if len(segs) > 1:
                refs.append((segs, line))
            i = j
            continue
        i += 1
    return refs


def modules(src):
    """Module path (tuple) -> file, found from the crate roots by following `mod x;`."""
    found = {}
    roots = [p for p in (src / "lib.rs", src / "main.rs") if p.exists()]

    def visit(path, file):
        found[path] = file
        toks = without_test_items(tokens(strip(file.read_text())))
        for k in range(len(toks) - 2):
            if toks[k][0] == "mod" and toks[k + 2][0] == ";":
                name = toks[k + 1][0]
                base = file.parent if file.name in ("lib.rs", "main.rs", "mod.rs") else file.with_suffix("")
                for child in (base / f"{name}.rs", base / name / "mod.rs"):
                    if child.exists():
                        visit(path + (name,), child)
                        break

    for root in roots[:1]:
        visit((), root)
    return found


def resolve(segs, here, known):
    """The module a path starting in module `here` points into, or None (outside the crate)."""
    if segs[0] == "crate":
        base, rest = (), segs[1:]
    elif segs[0] in ("super", "self"):
        base = here
        rest = list(segs)
        while rest and rest[0] in ("super", "self"):
            if rest[0] == "super":
                base = base[:-1]
            rest = rest[1:]
    elif here + (segs[0],) in known:
        base, rest = here, segs
    else:
        return None
    target = base
    for s in rest:
        if target + (s,) in known:
            target = target + (s,)
        else:
            break
    return target


def edges(src):
    known = modules(src)
    graph = {}
    for path, file in known.items():
        toks = without_test_items(tokens(strip(file.read_text())))
        for segs, line in references(toks):
            target = resolve(segs, path, known)
            if target is not None and target != path:
                graph.setdefault(path, {}).setdefault(target, f"{file}:{line}")
    return known, graph


def cycles(nodes, graph):
    """Strongly connected components with more than one node (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []

    def connect(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph.get(v, {}):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    sys.setrecursionlimit(10000)
    for v in nodes:
        if v not in index:
            connect(v)
    return out


def name(path):
    return "::".join(path) or "crate"


def main():
    root = Path(__file__).resolve().parent.parent
    args = sys.argv[1:]
    libraries = sorted(p.parent for p in root.glob("*/src/lib.rs"))
    if args == ["--libraries"]:
        dirs = libraries
    else:
        dirs = [Path(a) for a in args] or [root / "src"] + libraries
    found = 0
    for src in dirs:
        known, graph = edges(src)
        for component in cycles(sorted(known), graph):
            found += 1
            members = set(component)
            print(f"{src}: cycle of {len(component)} modules: {', '.join(map(name, component))}")
            for a in component:
                for b, where in sorted(graph.get(a, {}).items()):
                    if b in members:
                        print(f"    {name(a)} -> {name(b)}  ({where})")
    print(f"{len(dirs)} crates checked, {found} cycles", file=sys.stderr)
    sys.exit(1 if found else 0)


if __name__ == "__main__":
    main()
