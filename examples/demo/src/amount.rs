use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AmountError {
    Empty,
    NotANumber(String),
    TooManyDecimals,
}

impl fmt::Display for AmountError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AmountError::Empty => write!(f, "empty amount"),
            AmountError::NotANumber(s) => write!(f, "{s:?} is not a number"),
            AmountError::TooManyDecimals => write!(f, "at most two decimals"),
        }
    }
}

impl std::error::Error for AmountError {}

/// Parses `"12"`, `"12.5"` or `"12.50"` into cents.
pub fn parse_cents(text: &str) -> Result<u64, AmountError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(AmountError::Empty);
    }
    let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
    if frac.len() > 2 {
        return Err(AmountError::TooManyDecimals);
    }
    let number = |s: &str| s.parse::<u64>().map_err(|_| AmountError::NotANumber(text.to_string()));
    let whole = number(whole)?;
    let frac = if frac.is_empty() { 0 } else { number(&format!("{frac:0<2}"))? };
    Ok(whole * 100 + frac)
}

/// Formats cents as `12.50`.
pub fn format_cents(cents: u64) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}
