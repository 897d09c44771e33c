//! A bar chart drawn as SVG by our own code: y axis with gridlines, x labels, a `<title>`
//! tooltip per bar and an `aria-label` that says what the chart shows.

use super::css;
use super::format::{compact, label_indices, nice_ceiling};
use leptos::prelude::*;

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 240.0;
const LEFT: f64 = 64.0;
const RIGHT: f64 = 8.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 40.0;
const Y_TICKS: usize = 4;
const X_LABELS: usize = 6;

/// A bucket key shortened for the x axis: `2026-11-24` → `11-24`, `2026-11-24T13` → `24 13h`.
fn short_label(key: &str) -> String {
    match (key.len(), key.get(5..10), key.get(8..10), key.get(11..13)) {
        (13, _, Some(day), Some(hour)) => format!("{day} {hour}h"),
        (10, Some(month_day), _, _) => month_day.to_string(),
        _ => key.chars().take(10).collect(),
    }
}

/// What a screen reader hears instead of the picture.
fn describe(label: &str, points: &[(String, f64)], format: fn(f64) -> String) -> String {
    let (Some(first), Some(last)) = (points.first(), points.last()) else {
        return format!("{label}: no data");
    };
    let top = points
        .iter()
        .fold(first, |best, p| if p.1 > best.1 { p } else { best });
    format!(
        "{label}: {} buckets from {} to {}; highest {} on {}",
        points.len(),
        first.0,
        last.0,
        format(top.1),
        top.0
    )
}

/// Bars of `points` (bucket key, value); `format` writes values for tooltips and the
/// description, the y axis uses compact numbers.
#[component]
pub fn BarChart(
    /// What the chart shows, e.g. "Revenue per day".
    label: &'static str,
    points: Signal<Vec<(String, f64)>>,
    format: fn(f64) -> String,
    #[prop(into)] testid: String,
) -> impl IntoView {
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let ceiling = Memo::new(move |_| {
        points.with(|p| nice_ceiling(p.iter().map(|(_, v)| *v).fold(0.0, f64::max)))
    });
    let y_of = move |v: f64| TOP + plot_h - (v / ceiling.get()).clamp(0.0, 1.0) * plot_h;

    let grid = move || {
        (0..=Y_TICKS)
            .map(|i| {
                let value = ceiling.get() * i as f64 / Y_TICKS as f64;
                let y = y_of(value);
                view! {
                    <line class=css::grid x1=LEFT x2=WIDTH - RIGHT y1=y y2=y></line>
                    <text class=css::axis_label x=LEFT - 6.0 y=y + 4.0 text-anchor="end">{compact(value)}</text>
                }
            })
            .collect_view()
    };
    let bars = move || {
        points.with(|p| {
            let band = plot_w / p.len().max(1) as f64;
            let labelled = label_indices(p.len(), X_LABELS);
            p.iter()
                .enumerate()
                .map(|(i, (key, value))| {
                    let x = LEFT + band * i as f64;
                    let y = y_of(*value);
                    let tip = format!("{key}: {}", format(*value));
                    let label = labelled.contains(&i).then(|| {
                        view! {
                            <text class=css::axis_label x=x + band / 2.0 y=HEIGHT - BOTTOM + 22.0 text-anchor="middle">
                                {short_label(key)}
                            </text>
                        }
                    });
                    view! {
                        <rect class=css::bar x=x + band * 0.1 y=y width=band * 0.8 height=(TOP + plot_h - y).max(0.0)>
                            <title>{tip}</title>
                        </rect>
                        {label}
                    }
                })
                .collect_view()
        })
    };

    view! {
        <svg
            class=css::chart
            viewBox=format!("0 0 {WIDTH} {HEIGHT}")
            role="img"
            aria-label=move || points.with(|p| describe(label, p, format))
            data-testid=testid
        >
            {grid}
            <line class=css::axis x1=LEFT x2=LEFT y1=TOP y2=TOP + plot_h></line>
            <line class=css::axis x1=LEFT x2=WIDTH - RIGHT y1=TOP + plot_h y2=TOP + plot_h></line>
            {bars}
        </svg>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_and_descriptions() {
        assert_eq!(short_label("2026-11-24"), "11-24");
        assert_eq!(short_label("2026-11-24T13"), "24 13h");
        assert_eq!(short_label("p-12"), "p-12");
        let points = vec![
            ("2026-11-23".to_string(), 2.0),
            ("2026-11-24".to_string(), 5.0),
        ];
        let said = describe("Orders per day", &points, |v| format!("{v}"));
        assert_eq!(
            said,
            "Orders per day: 2 buckets from 2026-11-23 to 2026-11-24; highest 5 on 2026-11-24"
        );
        assert_eq!(
            describe("Orders", &[], |v| format!("{v}")),
            "Orders: no data"
        );
    }
}
