//! A tiny wallet: accounts that hold cents, amounts parsed from text, and a summary line.

pub mod account;
pub mod amount;
pub mod report;
