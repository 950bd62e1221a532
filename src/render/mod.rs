//! Rendering of reports for people (tables) and tools (JSON).

pub mod scan;
pub mod style;
