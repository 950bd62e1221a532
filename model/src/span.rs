//! Places in source files: a position and a span, both 1-based, columns in bytes (as LLVM
//! coverage counts them).

use serde::{Deserialize, Serialize};

/// A source position: 1-based line and 1-based byte column (as LLVM coverage counts them).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Pos {
    /// 1-based line.
    pub line: u32,
    /// 1-based column in bytes.
    pub col: u32,
}

/// A source span as LLVM coverage regions give it: start and end (inclusive line, exclusive-ish
/// column as LLVM reports it), 1-based.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Span {
    /// First line of the region.
    pub start_line: u32,
    /// Column of the region's first byte on `start_line`.
    pub start_col: u32,
    /// Last line of the region.
    pub end_line: u32,
    /// Column just past the region's last byte on `end_line`.
    pub end_col: u32,
}

impl Span {
    /// Where the span starts.
    pub fn start(&self) -> Pos {
        Pos {
            line: self.start_line,
            col: self.start_col,
        }
    }

    /// Where the span ends (exclusive).
    pub fn end(&self) -> Pos {
        Pos {
            line: self.end_line,
            col: self.end_col,
        }
    }

    /// Whether `p` is inside the span (its end excluded).
    pub fn contains(&self, p: Pos) -> bool {
        self.start() <= p && p < self.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_span_holds_its_start_and_not_its_end() {
        let s = Span {
            start_line: 2,
            start_col: 5,
            end_line: 4,
            end_col: 1,
        };
        let at = |line, col| s.contains(Pos { line, col });
        assert!(at(2, 5) && at(3, 1) && at(3, 900) && at(4, 0));
        assert!(!at(2, 4) && !at(4, 1) && !at(1, 9));
    }
}
