//! Which doctest a stored binary is. rustdoc gives the runtool only a temporary path, so the
//! binary's own coverage mapping says it. A standalone doctest is crate `rust_out`; the
//! `fn main` rustdoc wraps a body in holds a function named after the doctest's file and line
//! (`_doctest_main_src_lib_rs_12_0`). An example with its own `fn main` has no such name, but
//! it is compiled with its lines numbered as in the documented file (so that panics point
//! there): its code starts after the line its name gives, and before the next doctest's. An
//! edition 2024 merged binary holds rustdoc's runner instead.

use crate::read::{BinaryMapping, FunctionRecord};
use std::path::{Path, PathBuf};

/// The crate name rustdoc gives a standalone doctest.
const DOCTEST_CRATE: &str = "rust_out::";

/// How the function rustdoc wraps a doctest's body in begins.
const WRAPPER_PREFIX: &str = "_doctest_main_";

/// What a stored doctest binary holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// One doctest, whose code starts at `first_line` of `file` (as the mapping records it).
    Standalone {
        /// The documented file.
        file: String,
        /// The first line of the doctest's code.
        first_line: u32,
        /// The file and line of the wrapper's name (`src_lib_rs_12`), when it has one.
        wrapped: Option<String>,
    },
    /// An edition 2024 merged binary: several doctests, picked by number.
    Merged,
    /// Neither (no coverage of its own code): it cannot be told apart.
    Unknown,
}

/// A doctest rustdoc reported, where its name says it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Candidate {
    /// Its name (`src/lib.rs - double (line 12)`).
    pub name: String,
    /// The documented file: the name's path under the directory rustdoc ran in.
    pub file: PathBuf,
    /// The name's line.
    pub line: u32,
    /// The name's file and line as rustdoc's wrapper function spells them (`src_lib_rs_12`).
    pub wrapped: String,
}

impl Candidate {
    /// The doctest named `name`, its path relative to `dir`; `None` when the name does not end
    /// in `(line N)`.
    pub(crate) fn new(name: &str, dir: &Path) -> Option<Candidate> {
        let (path, _) = name.split_once(" - ")?;
        let line = name
            .strip_suffix(')')?
            .rsplit_once("(line ")?
            .1
            .parse()
            .ok()?;
        let sanitized: String = path
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        Some(Candidate {
            name: name.to_owned(),
            file: dir.join(path),
            line,
            wrapped: format!("{sanitized}_{line}"),
        })
    }
}

/// Whether a function is a standalone doctest's own code rather than the library's (a
/// library function instantiated in the doctest is the library's).
pub(crate) fn is_doctest_code(function: &FunctionRecord) -> bool {
    function
        .demangled
        .trim_start_matches('<')
        .starts_with(DOCTEST_CRATE)
}

/// What `mapping` is the mapping of.
pub(crate) fn kind(mapping: &BinaryMapping) -> Kind {
    if mapping
        .functions()
        .iter()
        .any(|f| f.demangled.contains("::__doctest_mod::doctest_runner"))
    {
        return Kind::Merged;
    }
    let own = || mapping.functions().iter().filter(|f| is_doctest_code(f));
    let first = own()
        .flat_map(|f| &f.regions)
        .map(|r| (r.file, r.span.start_line))
        .min_by_key(|(_, line)| *line);
    let wrapped = own().find_map(|f| wrapper_id(&f.demangled));
    match first {
        Some((file, first_line)) => Kind::Standalone {
            file: mapping.files()[file as usize].clone(),
            first_line,
            wrapped,
        },
        None => Kind::Unknown,
    }
}

/// `src_lib_rs_12` of `rust_out::main::_doctest_main_src_lib_rs_12_0`.
fn wrapper_id(demangled: &str) -> Option<String> {
    let (_, last) = demangled.rsplit_once("::")?;
    let id = last.strip_prefix(WRAPPER_PREFIX)?;
    let (id, number) = id.rsplit_once('_')?;
    number
        .bytes()
        .all(|b| b.is_ascii_digit())
        .then(|| id.to_owned())
}

/// The candidate a standalone doctest is: among those of its `file`, the one its wrapper
/// names, or without a wrapper the one with the greatest line before `first_line`, where its
/// code starts.
pub(crate) fn pick<'c>(
    file: &str,
    first_line: u32,
    wrapped: Option<&str>,
    candidates: &'c [Candidate],
) -> Option<&'c Candidate> {
    let file = Path::new(file);
    let canonical = file.canonicalize().ok();
    let mut of_file = candidates.iter().filter(|c| {
        c.file == file || canonical.is_some() && c.file.canonicalize().ok() == canonical
    });
    match wrapped {
        Some(id) => of_file.find(|c| c.wrapped == id),
        None => of_file
            .filter(|c| c.line < first_line)
            .max_by_key(|c| c.line),
    }
}

#[cfg(test)]
mod tests {
    use super::{pick, wrapper_id, Candidate};
    use std::path::Path;

    fn candidates() -> Vec<Candidate> {
        [
            "src/lib.rs - (line 5)",
            "src/lib.rs - double (line 12)",
            "src/lib.rs - double (line 18)",
            "src/a.rs - f (line 3)",
        ]
        .iter()
        .map(|n| Candidate::new(n, Path::new("/ws")).unwrap())
        .collect()
    }

    #[test]
    fn names_give_file_and_line() {
        let c = Candidate::new(
            "crates/a/src/lib.rs - Pair<A,B>::first (line 98)",
            Path::new("/ws"),
        )
        .unwrap();
        assert_eq!(c.file, Path::new("/ws/crates/a/src/lib.rs"));
        assert_eq!(c.line, 98);
        assert_eq!(Candidate::new("src/lib.rs - f", Path::new("/ws")), None);
        assert_eq!(Candidate::new("no line (line x)", Path::new("/ws")), None);
    }

    #[test]
    fn own_main_code_belongs_to_the_last_doctest_of_its_file_named_before_it() {
        let all = candidates();
        let name = |file: &str, line| pick(file, line, None, &all).map(|c| c.name.as_str());
        assert_eq!(
            name("/ws/src/lib.rs", 13),
            Some("src/lib.rs - double (line 12)")
        );
        assert_eq!(
            name("/ws/src/lib.rs", 20),
            Some("src/lib.rs - double (line 18)")
        );
        assert_eq!(name("/ws/src/lib.rs", 6), Some("src/lib.rs - (line 5)"));
        assert_eq!(name("/ws/src/a.rs", 4), Some("src/a.rs - f (line 3)"));
        assert_eq!(
            name("/ws/src/lib.rs", 5),
            None,
            "code starts after its line"
        );
        assert_eq!(name("/ws/src/b.rs", 40), None);
    }

    #[test]
    fn a_wrapped_body_is_the_doctest_its_wrapper_names_whatever_its_lines() {
        let all = candidates();
        // The crate docs after an included README are numbered past the README's lines, so
        // their code can start after another doctest's line.
        let got = pick("/ws/src/lib.rs", 13, Some("src_lib_rs_5"), &all);
        assert_eq!(got.map(|c| c.name.as_str()), Some("src/lib.rs - (line 5)"));
        assert_eq!(pick("/ws/src/a.rs", 13, Some("src_lib_rs_5"), &all), None);
        assert_eq!(
            wrapper_id("rust_out::main::_doctest_main_src_lib_rs_123_0").as_deref(),
            Some("src_lib_rs_123")
        );
        assert_eq!(wrapper_id("rust_out::main"), None);
        assert_eq!(wrapper_id("rust_out::main::_doctest_main_x_y"), None);
    }
}
