//! Colours, on or off as the caller decided (the binary: `--color`, a terminal, `NO_COLOR`, `CI`).

use comfy_table::{Cell, Color, Table};
use truecov_model::Verdict;

/// Whether output to stdout gets colours.
#[derive(Clone, Copy, Debug)]
pub struct Style {
    /// Colours on.
    pub color: bool,
}

impl Style {
    /// A table that follows this style.
    pub fn table(&self) -> Table {
        let mut t = Table::new();
        t.load_style(comfy_table::presets::UTF8_FULL_CONDENSED);
        t.set_content_arrangement(comfy_table::ContentArrangement::Dynamic);
        t.force_no_tty();
        if self.color {
            t.enforce_styling();
        }
        t
    }

    /// A cell showing a verdict in its colour.
    pub fn verdict_cell(&self, v: Verdict) -> Cell {
        let cell = Cell::new(v.as_str());
        match v {
            Verdict::Meaningful => cell.fg(Color::Green),
            Verdict::Smoke => cell.fg(Color::Yellow),
            Verdict::Tautological => cell.fg(Color::Magenta),
            Verdict::AssertionFree => cell.fg(Color::Red),
            Verdict::NotBuilt | Verdict::Unknown => cell.fg(Color::DarkGrey),
        }
    }

    /// Bold text (for headlines).
    pub fn bold(&self, text: &str) -> String {
        if self.color {
            format!("\x1b[1m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
}
