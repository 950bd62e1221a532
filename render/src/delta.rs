//! Changes of a figure for people: `▲ 0.4 pp`, `▼ 0.02`, `=` within the noise, `n/a`.

use truecov_compare::{Change, MetricDelta};

/// A change of a percentage, in percentage points.
pub fn pp(change: Change, delta: Option<f64>) -> String {
    arrowed(change, delta.map(|d| format!("{:.1} pp", d.abs() * 100.0)))
}

/// A change of a plain ratio (the truth ratio).
pub fn ratio(change: Change, delta: Option<f64>) -> String {
    arrowed(change, delta.map(|d| format!("{:.2}", d.abs())))
}

/// The change of a headline figure, in its unit.
pub fn of(m: &MetricDelta) -> String {
    if m.is_percentage() {
        pp(m.change, m.delta)
    } else {
        ratio(m.change, m.delta)
    }
}

fn arrowed(change: Change, size: Option<String>) -> String {
    match (change, size) {
        (Change::Up, Some(s)) => format!("▲ {s}"),
        (Change::Down, Some(s)) => format!("▼ {s}"),
        (Change::Same, _) => "=".to_string(),
        _ => "n/a".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrows_sizes_and_units() {
        assert_eq!(pp(Change::Down, Some(-0.0134)), "▼ 1.3 pp");
        assert_eq!(pp(Change::Up, Some(0.004)), "▲ 0.4 pp");
        assert_eq!(pp(Change::Same, Some(0.0004)), "=");
        assert_eq!(ratio(Change::Down, Some(-0.021)), "▼ 0.02");
        assert_eq!(ratio(Change::NotAvailable, None), "n/a");
    }
}
