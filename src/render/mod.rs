//! Rendering of reports for people (tables) and tools (JSON).

pub mod fmt;
pub mod run;
pub mod scan;
pub mod style;
