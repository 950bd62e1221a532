//! Reading and parsing one source file, and turning syn's spans into LLVM-style positions.

use proc_macro2::LineColumn;
use std::path::{Path, PathBuf};
use truecov_model::Pos;

/// A source file that was read and parsed.
pub(crate) struct SourceFile {
    /// Absolute path.
    pub path: PathBuf,
    /// Path relative to the workspace root, `/`-separated (absolute if outside it).
    pub rel: String,
    /// File contents.
    pub text: String,
    /// Byte offset of the start of each line.
    line_starts: Vec<usize>,
    /// Parsed syntax tree.
    pub ast: syn::File,
}

/// Why a file could not be scanned.
pub(crate) struct SourceError {
    /// Path relative to the workspace root.
    pub rel: String,
    /// Message naming what is wrong.
    pub message: String,
}

/// Workspace-relative, `/`-separated form of `path` (unchanged when outside `root`).
pub(crate) fn relative(root: &Path, path: &Path) -> String {
    let Ok(rel) = path.strip_prefix(root) else {
        return path.to_string_lossy().replace('\\', "/");
    };
    // `tests/it/../common/mod.rs` (a `#[path]` module) is `tests/common/mod.rs`.
    let mut parts: Vec<String> = Vec::new();
    for c in rel.components() {
        match c {
            std::path::Component::ParentDir if parts.last().is_some_and(|p| p != "..") => {
                parts.pop();
            }
            std::path::Component::CurDir => {}
            other => parts.push(other.as_os_str().to_string_lossy().into_owned()),
        }
    }
    parts.join("/")
}

impl SourceFile {
    /// Reads and parses `path`. Never panics: unreadable, non-UTF-8 and unparsable files are
    /// errors that name the file and the problem.
    pub(crate) fn load(root: &Path, path: &Path) -> Result<SourceFile, SourceError> {
        let rel = relative(root, path);
        let err = |message: String| SourceError {
            rel: rel.clone(),
            message,
        };
        let bytes = std::fs::read(path).map_err(|e| err(format!("cannot read: {e}")))?;
        let text = String::from_utf8(bytes).map_err(|e| {
            err(format!(
                "not valid UTF-8 (invalid byte at offset {}); file skipped",
                e.utf8_error().valid_up_to()
            ))
        })?;
        Self::parse(path.to_path_buf(), rel.clone(), text)
            .map_err(|message| SourceError { rel, message })
    }

    /// Parses `text` as the contents of `path`.
    pub(crate) fn parse(path: PathBuf, rel: String, text: String) -> Result<SourceFile, String> {
        let ast = parse_file_guarded(&text)?;
        let line_starts = line_starts(&text);
        Ok(SourceFile {
            path,
            rel,
            text,
            line_starts,
            ast,
        })
    }

    /// Converts a proc-macro2 position (1-based line, 0-based char column) to a 1-based line
    /// and 1-based byte column.
    pub(crate) fn pos(&self, lc: LineColumn) -> Pos {
        let line = lc.line.max(1);
        let start = self.line_starts.get(line - 1).copied().unwrap_or(0);
        let rest = self.text.get(start..).unwrap_or("");
        let byte_col = rest
            .char_indices()
            .take_while(|(_, c)| *c != '\n')
            .nth(lc.column)
            .map(|(i, _)| i)
            .unwrap_or_else(|| rest.find('\n').unwrap_or(rest.len()).min(lc.column));
        Pos {
            line: line as u32,
            col: byte_col as u32 + 1,
        }
    }

    /// Source text between two proc-macro2 positions, whitespace collapsed onto one line and
    /// shortened for reports.
    pub(crate) fn snippet(&self, start: LineColumn, end: LineColumn) -> String {
        let offset = |p: Pos| {
            let line_start = self
                .line_starts
                .get(p.line as usize - 1)
                .copied()
                .unwrap_or(0);
            (line_start + p.col as usize - 1).min(self.text.len())
        };
        let (from, to) = (offset(self.pos(start)), offset(self.pos(end)));
        let text = self.text.get(from..to.max(from)).unwrap_or("");
        let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
        shorten(&collapsed, 60)
    }
}

/// Cuts `text` to at most `max` characters, with an ellipsis.
pub(crate) fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max - 1).collect();
    out.push('…');
    out
}

fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect()
}

/// `syn::parse_file`, with syn's message and position on error and a guard against the
/// deep recursion that pathological inputs can cause.
fn parse_file_guarded(text: &str) -> Result<syn::File, String> {
    if nesting_depth(text) > MAX_NESTING {
        return Err(format!(
            "nesting deeper than {MAX_NESTING} levels; file skipped"
        ));
    }
    syn::parse_file(text).map_err(|e| {
        let lc = e.span().start();
        format!("{}:{}: cannot parse: {e}", lc.line, lc.column + 1)
    })
}

/// Deepest bracket nesting allowed before a file is refused (syn recurses on nesting).
const MAX_NESTING: usize = 256;

/// How much each byte changes the bracket depth.
const DEPTH_DELTA: [i32; 256] = {
    let mut t = [0i32; 256];
    t[b'(' as usize] = 1;
    t[b'[' as usize] = 1;
    t[b'{' as usize] = 1;
    t[b')' as usize] = -1;
    t[b']' as usize] = -1;
    t[b'}' as usize] = -1;
    t
};

/// Deepest bracket nesting (brackets in strings and comments count too: a cheap upper bound).
fn nesting_depth(text: &str) -> usize {
    let (mut depth, mut max) = (0i32, 0i32);
    for &b in text.as_bytes() {
        depth = (depth + DEPTH_DELTA[b as usize]).max(0);
        max = max.max(depth);
    }
    max as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> SourceFile {
        SourceFile::parse("x.rs".into(), "x.rs".into(), text.into()).unwrap()
    }

    #[test]
    fn byte_columns_count_multibyte_chars() {
        let f = file("fn a() {}\nconst S: &str = \"é\"; fn b() {}\n");
        // `fn b` starts at char 21 of line 2; "é" is two bytes, so byte column 23 (1-based).
        let pos = f.pos(LineColumn {
            line: 2,
            column: 21,
        });
        assert_eq!(pos, Pos { line: 2, col: 23 });
    }

    #[test]
    fn parse_errors_name_line_and_column() {
        let err = SourceFile::parse("x.rs".into(), "x.rs".into(), "fn a( {}".into())
            .err()
            .unwrap();
        assert!(err.starts_with("1:"), "{err}");
        assert!(err.contains("cannot parse"), "{err}");
    }

    #[test]
    fn deep_nesting_is_refused_not_overflowed() {
        let text = format!("fn a() {{ {} }}", "(".repeat(10_000));
        let err = SourceFile::parse("x.rs".into(), "x.rs".into(), text)
            .err()
            .unwrap();
        assert!(err.contains("nesting deeper"), "{err}");
    }

    #[test]
    fn relative_paths_use_slashes() {
        let root = Path::new("/w");
        assert_eq!(relative(root, Path::new("/w/src/a/b.rs")), "src/a/b.rs");
        assert_eq!(
            relative(root, Path::new("/w/tests/it/../common/./mod.rs")),
            "tests/common/mod.rs"
        );
        assert_eq!(
            relative(root, Path::new("/elsewhere/x.rs")),
            "/elsewhere/x.rs"
        );
    }
}
