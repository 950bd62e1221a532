//! Number formats shared by the renderers: percentages, ratios, "n/a" for 0/0.

/// `87.4 %`, or `n/a` when there was nothing to divide by.
pub fn pct(v: Option<f64>) -> String {
    v.map_or_else(|| "n/a".to_string(), |x| format!("{:.1} %", x * 100.0))
}

/// `0.70`, or `n/a`.
pub fn ratio(v: Option<f64>) -> String {
    v.map_or_else(|| "n/a".to_string(), |x| format!("{x:.2}"))
}

/// `1,502`.
pub fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_not_available() {
        assert_eq!(pct(Some(0.8744)), "87.4 %");
        assert_eq!(pct(None), "n/a");
        assert_eq!(ratio(Some(0.7)), "0.70");
        assert_eq!(count(1502), "1,502");
        assert_eq!(count(12), "12");
        assert_eq!(count(1_000_000), "1,000,000");
    }
}
