//! Charts as SVG drawn on the server: no script, readable by screen readers (a title, a
//! description and the numbers as text), printable. Bars for a comparison across
//! regions, a line for a trend across months.

use maud::{Markup, html};

/// Horizontal bars, one per (label, value); `unit` follows each value.
pub fn bars(title: &str, rows: &[(String, u64)], unit: &str) -> Markup {
    let max = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1);
    let (label_w, bar_w, row_h) = (150.0, 380.0, 26.0);
    let height = row_h * rows.len().max(1) as f64 + 10.0;
    html! {
        figure.chart {
            svg viewBox={ "0 0 640 " (height) } role="img" aria-label=(title) xmlns="http://www.w3.org/2000/svg" {
                title { (title) }
                @for (i, (label, value)) in rows.iter().enumerate() {
                    @let y = 5.0 + i as f64 * row_h;
                    @let w = bar_w * (*value as f64) / (max as f64);
                    text x=(label_w - 8.0) y=(y + 17.0) text-anchor="end" font-size="13" { (label) }
                    rect x=(label_w) y=(y + 4.0) width=(format!("{w:.1}")) height=(row_h - 8.0) fill="#b4232a" {}
                    text x=(label_w + w + 6.0) y=(y + 17.0) font-size="13" { (value) " " (unit) }
                }
            }
            figcaption { (title) }
        }
    }
}

/// A line over months: (month label, value in yuan); the axis starts at zero.
pub fn line(title: &str, points: &[(String, f64)]) -> Markup {
    // Plotting coordinates only (never stored, never summed): f64 is fine here.
    let max = points.iter().map(|p| p.1).fold(0.0, f64::max).max(1.0);
    let (left, right, top, bottom) = (70.0, 620.0, 20.0, 200.0);
    let step = if points.len() > 1 {
        (right - left) / (points.len() - 1) as f64
    } else {
        0.0
    };
    let xy = |i: usize, v: f64| (left + step * i as f64, bottom - (bottom - top) * v / max);
    let path: Vec<String> = points
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let (x, y) = xy(i, p.1);
            format!("{x:.1},{y:.1}")
        })
        .collect();
    html! {
        figure.chart {
            svg viewBox="0 0 640 240" role="img" aria-label=(title) xmlns="http://www.w3.org/2000/svg" {
                title { (title) }
                line x1=(left) y1=(bottom) x2=(right) y2=(bottom) stroke="#8a94a0" {}
                text x=(left - 6.0) y=(top + 4.0) text-anchor="end" font-size="12" { (format!("{max:.0}")) }
                text x=(left - 6.0) y=(bottom) text-anchor="end" font-size="12" { "0" }
                @if points.len() > 1 {
                    polyline points=(path.join(" ")) fill="none" stroke="#b4232a" stroke-width="2.5" {}
                }
                @for (i, p) in points.iter().enumerate() {
                    @let (x, y) = xy(i, p.1);
                    circle cx=(format!("{x:.1}")) cy=(format!("{y:.1}")) r="4" fill="#b4232a" {}
                    text x=(format!("{x:.1}")) y=(bottom + 18.0) text-anchor="middle" font-size="12" { (p.0) }
                }
            }
            figcaption { (title) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_are_scaled_to_the_largest_value() {
        let svg = bars("t", &[("a".into(), 10), ("b".into(), 5)], "户").into_string();
        assert!(svg.contains(r#"width="380.0""#), "{svg}");
        assert!(svg.contains(r#"width="190.0""#), "{svg}");
        assert!(svg.contains("10 户"));
    }

    #[test]
    fn a_line_has_one_point_per_month() {
        let svg = line("t", &[("2024-05".into(), 0.0), ("2024-06".into(), 100.0)]).into_string();
        assert_eq!(svg.matches("<circle").count(), 2);
        assert!(svg.contains("70.0,200.0 620.0,20.0"), "{svg}");
    }
}
