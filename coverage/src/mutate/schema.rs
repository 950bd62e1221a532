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

/// One change to a file's original text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Edit {
    /// Byte range of the original text that is replaced (empty for an insertion).
    pub range: Range<usize>,
    /// The new text.
    pub text: String,
    /// The mutant the edit belongs to, if any.
    pub mutant: Option<usize>,
}

impl Edit {
    /// The guard of mutant `id` (1-based) at the start of a body.
    pub(super) fn guard(at: usize, id: usize, value: &str) -> Edit {
        Edit {
            range: at..at,
            text: format!("if crate::__truecov_mutants::active({id}) {{ return {value}; }} "),
            mutant: Some(id),
        }
    }

    /// The body `body` (from its first statement to its closing brace) replaced by `value`.
    /// Parameters and helpers the body used become unused, which must not fail the build.
    pub(super) fn replace_body(body: Range<usize>, id: usize, value: &str) -> Edit {
        Edit {
            range: body,
            text: format!("#![allow(unused)] {value} "),
            mutant: Some(id),
        }
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
                text.push_str(&format!(
                    "if crate::__truecov_mutants::active({id}) {{ Box::new({value}) }} else "
                ));
            }
        }
        text.push_str("; __truecov_value ");
        Edit {
            range: body,
            text,
            mutant: None,
        }
    }

    /// The switch module, appended to a crate root of `len` bytes.
    pub(super) fn switch_module(len: usize) -> Edit {
        Edit {
            range: len..len,
            text: SWITCH_MODULE.to_owned(),
            mutant: None,
        }
    }
}

/// A file's text after `edits`, and where each mutant's text ended up in it (mutant number,
/// byte range), for telling which mutant a compiler error is about. Edits must not overlap;
/// insertions at the same place keep their order.
pub(crate) fn apply(original: &str, edits: &[Edit]) -> (String, Vec<(usize, Range<usize>)>) {
    let mut order: Vec<&Edit> = edits.iter().collect();
    order.sort_by_key(|e| (e.range.start, e.range.end));
    let mut out = String::with_capacity(original.len() + edits.len() * 64);
    let mut placed = Vec::new();
    let mut at = 0;
    for edit in order {
        out.push_str(&original[at..edit.range.start]);
        let start = out.len();
        out.push_str(&edit.text);
        if let Some(id) = edit.mutant {
            placed.push((id, start..out.len()));
        }
        at = edit.range.end;
    }
    out.push_str(&original[at..]);
    (out, placed)
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
        let (text, placed) = apply(original, &edits);
        assert!(text.starts_with(
            "pub fn f(x: u8) -> u8 {\n    if crate::__truecov_mutants::active(2) { return 1; } \
             if crate::__truecov_mutants::active(1) { return 0; } x + 1\n}\n"
        ));
        assert!(text.ends_with("}\n") && text.contains("pub(crate) mod __truecov_mutants"));
        assert!(text.contains(&format!("env::var(\"{SWITCH_ENV}\")")));
        let ids: Vec<usize> = placed.iter().map(|(id, _)| *id).collect();
        assert_eq!(ids, [2, 1]);
        assert_eq!(&text[placed[1].1.clone()], edits[2].text);
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
        let (text, placed) = apply(original, &[edit]);
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
        let (text, placed) = apply(original, &[Edit::replace_body(first..end, 7, "1")]);
        assert_eq!(
            text,
            "fn f() -> u8 {\n    #![allow(x)]\n    #![allow(unused)] 1 }"
        );
        assert_eq!(placed[0].0, 7);
    }
}
