//! The text of mutated files. Most mutants are compiled together (a mutant schema): each
//! function gets one guard per mutant at the start of its body, `if <mutant N is on> { return
//! VALUE; }`, and the test process says which mutant is on through [`SWITCH_ENV`], so one build
//! serves them all. A mutant that cannot be a guard replaces the body instead, one build each.
//! Inserted text never adds a line, so panics and `line!()` keep their line numbers.

use std::ops::Range;

/// The variable that tells a test process which mutant is on (its number); unset, none is.
pub const SWITCH_ENV: &str = "TRUECOV_MUTANT";

/// The module every mutated crate root gets: `active(n)` reads [`SWITCH_ENV`] once. Written
/// to compile in every edition, in `no_std` crates and under any lint settings.
const SWITCH_MODULE: &str = "\n#[doc(hidden)]\n#[allow(warnings, clippy::all)]\npub(crate) mod \
__truecov_mutants {\n    extern crate std as truecov_std;\n    static ON: \
truecov_std::sync::atomic::AtomicUsize = truecov_std::sync::atomic::AtomicUsize::new(0);\n    \
/// Whether the test process was started for mutant `id` (numbers start at 1).\n    \
pub(crate) fn active(id: usize) -> bool {\n        let order = \
truecov_std::sync::atomic::Ordering::Relaxed;\n        let mut on = ON.load(order);\n        \
if on == 0 {\n            on = match truecov_std::env::var(\"TRUECOV_MUTANT\") {\n                \
Ok(v) => v.parse::<usize>().unwrap_or(!0),\n                Err(_) => !0,\n            };\n    \
        ON.store(on, order);\n        }\n        on == id\n    }\n}\n";

/// The call that says whether mutant `id` is on, as schema text writes it.
pub(crate) fn on(id: usize) -> String {
    format!("crate::__truecov_mutants::active({id})")
}

/// A part of an edit's text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Piece {
    /// Text of the schema itself.
    Text(String),
    /// Text that only mutant `.0` runs: a compiler error inside it is about that mutant.
    Mutant(usize, String),
    /// A byte range of the original text, with the edits inside it applied (an operand of a
    /// mutated operator keeps the mutants nested in it).
    Hole(Range<usize>),
}

/// One change to a file's original text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Edit {
    /// Byte range of the original text that is replaced (empty for an insertion).
    pub range: Range<usize>,
    /// Among edits of the same range, the lower rank holds the higher.
    pub rank: u8,
    /// The new text.
    pub pieces: Vec<Piece>,
    /// The mutants the whole edit belongs to (an error anywhere in it, outside a nested
    /// mutant's text, is about them).
    pub mutants: Vec<usize>,
}

impl Edit {
    /// An edit of `range` that writes `pieces` and belongs to `mutants`.
    pub(super) fn new(range: Range<usize>, pieces: Vec<Piece>, mutants: Vec<usize>) -> Edit {
        Edit {
            range,
            rank: 0,
            pieces,
            mutants,
        }
    }

    /// The guard of mutant `id` (1-based) at the start of a body.
    pub(super) fn guard(at: usize, id: usize, value: &str) -> Edit {
        let text = format!("if {} {{ return {value}; }} ", on(id));
        Edit::new(at..at, vec![Piece::Mutant(id, text)], vec![id])
    }

    /// `range` replaced by `text` for mutant `id`: a mutant built on its own.
    pub(super) fn replace(range: Range<usize>, id: usize, text: &str) -> Edit {
        Edit::new(range, vec![Piece::Mutant(id, text.to_owned())], vec![id])
    }

    /// The body `body` (from its first statement to its closing brace) replaced by `value`.
    /// Parameters and helpers the body used become unused, which must not fail the build.
    pub(super) fn replace_body(body: Range<usize>, id: usize, value: &str) -> Edit {
        Edit::replace(body, id, &format!("#![allow(unused)] {value} "))
    }

    /// The body `body` replaced by a choice among mutants `(id, value)`, each value boxed into
    /// `boxed` (the function returns `impl Bounds`, `boxed` is `Box<dyn Bounds>`): one build
    /// serves them all, the switch picks one (the last when none is on: it never runs so).
    pub(super) fn dispatch(body: Range<usize>, boxed: &str, mutants: &[(usize, &str)]) -> Edit {
        let mut text = format!("#![allow(unused)] let __truecov_value: {boxed} = ");
        for (i, (id, value)) in mutants.iter().enumerate() {
            if i + 1 == mutants.len() {
                text.push_str(&format!("{{ Box::new({value}) }}"));
            } else {
                text.push_str(&format!("if {} {{ Box::new({value}) }} else ", on(*id)));
            }
        }
        text.push_str("; __truecov_value ");
        Edit::new(body, vec![Piece::Text(text)], Vec::new())
    }

    /// The switch module, appended to a crate root of `len` bytes.
    pub(super) fn switch_module(len: usize) -> Edit {
        Edit::new(
            len..len,
            vec![Piece::Text(SWITCH_MODULE.to_owned())],
            Vec::new(),
        )
    }

    /// Whether `other` goes inside this edit (its range lies in this one's; insertions hold
    /// nothing, and an insertion at this edit's end comes after it).
    fn holds(&self, other: &Edit) -> bool {
        !self.range.is_empty()
            && other.range.start >= self.range.start
            && other.range.end <= self.range.end
            && !(other.range.is_empty() && other.range.start == self.range.end)
    }
}

/// Mutant numbers to the byte ranges of their text in an edited file.
pub(crate) type Placed = Vec<(usize, Range<usize>)>;

/// A file's text after `edits`, where each mutant's text ended up in it (mutant number, byte
/// range; nested mutants' ranges lie inside their hosts'), and the mutants whose edit could not
/// go in (it overlaps another edit without nesting in it, or lies outside the holes of the
/// edit holding it). Insertions at the same place keep their order.
pub(crate) fn apply(original: &str, edits: &[Edit]) -> (String, Placed, Vec<usize>) {
    let mut order: Vec<&Edit> = edits.iter().collect();
    order.sort_by_key(|e| {
        (
            e.range.start,
            !e.range.is_empty(),
            std::cmp::Reverse(e.range.end),
            e.rank,
        )
    });
    let mut out = Applied {
        original,
        text: String::with_capacity(original.len() + edits.len() * 96),
        placed: Vec::new(),
        dropped: Vec::new(),
    };
    out.render(0..original.len(), &order);
    (out.text, out.placed, out.dropped)
}

/// The output of [`apply`] as it is written.
struct Applied<'a> {
    original: &'a str,
    text: String,
    placed: Placed,
    dropped: Vec<usize>,
}

impl Applied<'_> {
    /// Writes `range` of the original with `edits` (sorted, all inside `range`) applied.
    fn render(&mut self, range: Range<usize>, edits: &[&Edit]) {
        let mut at = range.start;
        let mut i = 0;
        while i < edits.len() {
            let edit = edits[i];
            let inner = edits[i + 1..].iter().take_while(|e| edit.holds(e)).count();
            let children = &edits[i + 1..i + 1 + inner];
            i += 1 + inner;
            if edit.range.start < at {
                self.drop_all(std::iter::once(edit).chain(children.iter().copied()));
                continue;
            }
            self.text.push_str(&self.original[at..edit.range.start]);
            let start = self.text.len();
            let mut used = vec![false; children.len()];
            for piece in &edit.pieces {
                match piece {
                    Piece::Text(t) => self.text.push_str(t),
                    Piece::Mutant(id, t) => {
                        let from = self.text.len();
                        self.text.push_str(t);
                        self.placed.push((*id, from..self.text.len()));
                    }
                    Piece::Hole(hole) => {
                        let inside: Vec<&Edit> = children
                            .iter()
                            .enumerate()
                            .filter(|(_, c)| c.range.start >= hole.start && c.range.end <= hole.end)
                            .map(|(k, c)| {
                                used[k] = true;
                                *c
                            })
                            .collect();
                        self.render(hole.clone(), &inside);
                    }
                }
            }
            let outside = children.iter().zip(&used).filter(|(_, u)| !**u);
            self.drop_all(outside.map(|(c, _)| *c));
            for &id in &edit.mutants {
                self.placed.push((id, start..self.text.len()));
            }
            at = edit.range.end;
        }
        self.text.push_str(&self.original[at..range.end]);
    }

    fn drop_all<'e>(&mut self, edits: impl Iterator<Item = &'e Edit>) {
        for e in edits {
            self.dropped.extend(&e.mutants);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guards_and_the_module_go_in_without_new_lines_in_the_body() {
        let original = "pub fn f(x: u8) -> u8 {\n    x + 1\n}\n";
        let at = original.find("x + 1").unwrap();
        let edits = [
            Edit::switch_module(original.len()),
            Edit::guard(at, 2, "1"),
            Edit::guard(at, 1, "0"),
        ];
        let (text, placed, dropped) = apply(original, &edits);
        assert!(dropped.is_empty());
        assert!(text.starts_with(
            "pub fn f(x: u8) -> u8 {\n    if crate::__truecov_mutants::active(2) { return 1; } \
             if crate::__truecov_mutants::active(1) { return 0; } x + 1\n}\n"
        ));
        assert!(text.ends_with("}\n") && text.contains("pub(crate) mod __truecov_mutants"));
        assert!(text.contains(&format!("env::var(\"{SWITCH_ENV}\")")));
        let ids: Vec<usize> = placed.iter().map(|(id, _)| *id).collect();
        assert_eq!(ids, [2, 2, 1, 1]);
        assert_eq!(
            &text[placed[2].1.clone()],
            "if crate::__truecov_mutants::active(1) { return 0; } "
        );
    }

    #[test]
    fn a_dispatch_boxes_each_value_behind_its_switch_on_one_line() {
        let original = "fn f() -> impl Iterator<Item = u8> {\n    g()\n}";
        let first = original.find("g()").unwrap();
        let end = original.rfind('}').unwrap();
        let edit = Edit::dispatch(
            first..end,
            "Box<dyn Iterator<Item = u8>>",
            &[(3, "std::iter::empty()"), (4, "std::iter::once(0)")],
        );
        let (text, placed, _) = apply(original, &[edit]);
        assert_eq!(
            text,
            "fn f() -> impl Iterator<Item = u8> {\n    #![allow(unused)] let __truecov_value: \
             Box<dyn Iterator<Item = u8>> = if crate::__truecov_mutants::active(3) \
             { Box::new(std::iter::empty()) } else { Box::new(std::iter::once(0)) }; \
             __truecov_value }"
        );
        assert!(placed.is_empty(), "no single mutant owns the dispatch");
    }

    #[test]
    fn a_replaced_body_keeps_inner_attributes_and_the_braces() {
        let original = "fn f() -> u8 {\n    #![allow(x)]\n    g()\n}";
        let first = original.find("g()").unwrap();
        let end = original.rfind('}').unwrap();
        let (text, placed, _) = apply(original, &[Edit::replace_body(first..end, 7, "1")]);
        assert_eq!(
            text,
            "fn f() -> u8 {\n    #![allow(x)]\n    #![allow(unused)] 1 }"
        );
        assert_eq!(placed[0].0, 7);
    }

    #[test]
    fn nested_edits_go_into_their_hosts_holes_and_overlapping_ones_are_dropped() {
        let original = "f(a + b) * c";
        let inner = Edit::new(
            2..7,
            vec![
                Piece::Text("[".into()),
                Piece::Hole(2..3),
                Piece::Mutant(2, "-".into()),
                Piece::Hole(6..7),
                Piece::Text("]".into()),
            ],
            vec![2],
        );
        let outer = Edit::new(
            0..12,
            vec![
                Piece::Hole(0..8),
                Piece::Mutant(1, " / ".into()),
                Piece::Hole(11..12),
            ],
            vec![1],
        );
        let crossing = Edit::new(6..10, vec![Piece::Text("?".into())], vec![3]);
        let (text, placed, dropped) = apply(original, &[inner, crossing, outer]);
        assert_eq!(text, "f([a-b]) / c");
        assert_eq!(dropped, [3]);
        let of = |id| -> Vec<&str> {
            placed
                .iter()
                .filter(|(i, _)| *i == id)
                .map(|(_, r)| &text[r.clone()])
                .collect()
        };
        assert_eq!(of(2), ["-", "[a-b]"]);
        assert_eq!(of(1), [" / ", "f([a-b]) / c"]);
    }
}
