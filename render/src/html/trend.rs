//! The trend of the headline over stored runs, as an inline SVG line chart (no script needed).

use super::page::esc;
use std::fmt::Write;

/// The headline of one stored run.
#[derive(Clone, Debug, PartialEq)]
pub struct TrendPoint {
    /// What identifies the run for people (a date, a commit, a run id).
    pub label: String,
    /// Raw line coverage, `None` when not available.
    pub raw: Option<f64>,
    /// Meaningful line coverage, `None` when not available.
    pub meaningful: Option<f64>,
}

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 220.0;
const LEFT: f64 = 44.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 30.0;

/// The chart of raw (dashed, squares) and meaningful (solid, circles) coverage, oldest run on the
/// left. A missing figure breaks its line.
pub(super) fn chart(points: &[TrendPoint]) -> String {
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let x = |i: usize| {
        if points.len() < 2 {
            LEFT + plot_w / 2.0
        } else {
            LEFT + plot_w * i as f64 / (points.len() - 1) as f64
        }
    };
    let y = |v: f64| TOP + plot_h * (1.0 - v.clamp(0.0, 1.0));
    let first_last = match (points.first(), points.last()) {
        (Some(a), Some(b)) => format!(
            "meaningful coverage from {} to {} over {} runs",
            pct(a.meaningful),
            pct(b.meaningful),
            points.len()
        ),
        _ => "no runs".to_string(),
    };
    let mut svg = format!(
        "<figure class=\"trend\"><svg viewBox=\"0 0 {WIDTH} {HEIGHT}\" role=\"img\" aria-label=\"{}\">",
        esc(&first_last)
    );
    for v in [0.0, 0.5, 1.0] {
        let _ = write!(
            svg,
            "<line class=\"axis\" x1=\"{LEFT}\" x2=\"{}\" y1=\"{y:.1}\" y2=\"{y:.1}\"/><text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{:.0} %</text>",
            WIDTH - RIGHT,
            LEFT - 6.0,
            y(v) + 4.0,
            v * 100.0,
            y = y(v)
        );
    }
    type Pick = fn(&TrendPoint) -> Option<f64>;
    let series: [(&str, Pick); 2] = [("raw", |p| p.raw), ("meaningful", |p| p.meaningful)];
    for (class, pick) in series {
        for run in runs(points, pick) {
            let coords: Vec<String> = run
                .iter()
                .map(|&(i, v)| format!("{:.1},{:.1}", x(i), y(v)))
                .collect();
            let _ = write!(
                svg,
                "<polyline class=\"{class}\" points=\"{}\"/>",
                coords.join(" ")
            );
        }
        for (i, p) in points.iter().enumerate() {
            let Some(v) = pick(p) else { continue };
            let title = format!("{}: {class} {}", p.label, pct(Some(v)));
            let shape = if class == "raw" {
                format!(
                    "<rect class=\"pt-raw\" x=\"{:.1}\" y=\"{:.1}\" width=\"7\" height=\"7\">",
                    x(i) - 3.5,
                    y(v) - 3.5
                )
            } else {
                format!(
                    "<circle class=\"pt-meaningful\" cx=\"{:.1}\" cy=\"{:.1}\" r=\"4\">",
                    x(i),
                    y(v)
                )
            };
            let close = if class == "raw" {
                "</rect>"
            } else {
                "</circle>"
            };
            let _ = write!(svg, "{shape}<title>{}</title>{close}", esc(&title));
        }
    }
    if let (Some(a), Some(b)) = (points.first(), points.last()) {
        let _ = write!(
            svg,
            "<text x=\"{LEFT}\" y=\"{0}\">{1}</text><text x=\"{2}\" y=\"{0}\" text-anchor=\"end\">{3}</text>",
            HEIGHT - 8.0,
            esc(&a.label),
            WIDTH - RIGHT,
            esc(&b.label)
        );
    }
    svg.push_str("</svg><figcaption>meaningful coverage (solid line, circles) and raw coverage (dashed line, squares) of the stored runs</figcaption></figure>");
    svg
}

fn pct(v: Option<f64>) -> String {
    crate::fmt::pct(v)
}

/// The unbroken stretches of one series: `(index, value)` runs between missing values.
fn runs(points: &[TrendPoint], pick: fn(&TrendPoint) -> Option<f64>) -> Vec<Vec<(usize, f64)>> {
    let mut out: Vec<Vec<(usize, f64)>> = vec![Vec::new()];
    for (i, p) in points.iter().enumerate() {
        match pick(p) {
            Some(v) => out.last_mut().expect("never empty").push((i, v)),
            None => out.push(Vec::new()),
        }
    }
    out.retain(|r| !r.is_empty());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(label: &str, raw: Option<f64>, meaningful: Option<f64>) -> TrendPoint {
        TrendPoint {
            label: label.into(),
            raw,
            meaningful,
        }
    }

    #[test]
    fn plots_both_series_and_breaks_lines_at_missing_values() {
        let points = [
            point("run 1", Some(0.5), Some(0.25)),
            point("run 2", Some(1.0), None),
            point("run 3", Some(0.75), Some(0.5)),
        ];
        let svg = chart(&points);
        // Raw is one line through three points; meaningful has two single-point stretches.
        assert_eq!(svg.matches("<polyline class=\"raw\"").count(), 1);
        assert_eq!(svg.matches("<polyline class=\"meaningful\"").count(), 2);
        assert_eq!(svg.matches("<rect class=\"pt-raw\"").count(), 3);
        assert_eq!(svg.matches("<circle class=\"pt-meaningful\"").count(), 2);
        // 100 % is at the top of the plot, 50 % in its middle; x spans the plot.
        assert!(
            svg.contains("points=\"44.0,101.0 376.0,12.0 708.0,56.5\""),
            "{svg}"
        );
        assert!(svg.contains("<title>run 3: meaningful 50.0 %</title>"));
        assert!(
            svg.contains("aria-label=\"meaningful coverage from 25.0 % to 50.0 % over 3 runs\"")
        );
    }
}
