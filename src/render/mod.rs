//! Rendering of reports for people (tables, HTML) and tools (JSON, SARIF, lcov, cobertura).

pub mod cobertura;
pub mod delta;
pub mod diff;
pub mod fmt;
pub mod history;
pub mod hits;
pub mod html;
pub mod lcov;
pub mod markdown;
pub mod prove;
pub mod run;
pub mod sarif;
pub mod scan;
pub mod style;
