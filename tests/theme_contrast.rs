//! The default theme's colours meet WCAG 2.1 AA: text 4.5:1, UI components and focus 3:1, checked
//! from the colour values in the stylesheet's `:root` block, where every colour of the theme lives.

use std::collections::HashMap;

const CSS: &str = include_str!("../themes/default/static/css/notis.css");

fn colours() -> HashMap<String, (f64, f64, f64)> {
    let root = &CSS[CSS.find(":root").expect(":root block")..];
    let root = &root[..root.find('}').expect("end of :root")];
    root.lines()
        .filter_map(|line| {
            let line = line.trim();
            let (name, rest) = line.split_once(':')?;
            let hex = rest.trim().strip_prefix('#')?.get(..6)?;
            let channel = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).map(f64::from);
            Some((
                name.trim().to_string(),
                (channel(0).ok()?, channel(2).ok()?, channel(4).ok()?),
            ))
        })
        .collect()
}

fn luminance((r, g, b): (f64, f64, f64)) -> f64 {
    let linear = |c: f64| {
        let c = c / 255.0;
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
}

fn contrast(a: (f64, f64, f64), b: (f64, f64, f64)) -> f64 {
    let (x, y) = (luminance(a), luminance(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

const TEXT_PAIRS: &[(&str, &str)] = &[
    ("--color-text", "--color-bg"),
    ("--color-text", "--color-bg-alt"),
    ("--color-text", "--color-notice-bg"),
    ("--color-text", "--color-draft-bg"),
    ("--color-text-muted", "--color-bg"),
    ("--color-text-muted", "--color-bg-alt"),
    ("--color-link", "--color-bg"),
    ("--color-link", "--color-bg-alt"),
    ("--color-link", "--color-notice-bg"),
    ("--color-link-visited", "--color-bg"),
    ("--color-link-visited", "--color-bg-alt"),
    ("--color-link-hover", "--color-bg"),
    ("--color-link-hover", "--color-bg-alt"),
    ("--color-on-accent", "--color-accent"),
];

const UI_PAIRS: &[(&str, &str)] = &[
    ("--color-border", "--color-bg"),
    ("--color-accent", "--color-bg"),
    ("--color-notice-border", "--color-notice-bg"),
    ("--color-draft-border", "--color-draft-bg"),
    ("--color-focus", "--color-bg"),
    ("--color-focus", "--color-bg-alt"),
    ("--color-focus", "--color-notice-bg"),
];

#[test]
fn text_and_ui_colours_meet_wcag_aa() {
    let colours = colours();
    for (pairs, minimum) in [(TEXT_PAIRS, 4.5), (UI_PAIRS, 3.0)] {
        for (front, back) in pairs {
            let ratio = contrast(colours[*front], colours[*back]);
            assert!(ratio >= minimum, "{front} on {back}: {ratio:.2}:1 < {minimum}:1");
        }
    }
}

#[test]
fn the_contrast_formula_is_right() {
    assert!((contrast((0.0, 0.0, 0.0), (255.0, 255.0, 255.0)) - 21.0).abs() < 0.01);
    assert!((contrast((0x76 as f64, 0x76 as f64, 0x76 as f64), (255.0, 255.0, 255.0)) - 4.54).abs() < 0.01);
}

#[test]
fn every_colour_outside_root_is_a_variable() {
    let after_root = &CSS[CSS.find(":root").unwrap()..];
    let after_root = &after_root[after_root.find('}').unwrap()..];
    let stray: Vec<&str> = after_root
        .lines()
        .filter(|line| line.trim_end().ends_with(';'))
        .filter(|line| {
            let value = line.split_once(':').map_or("", |(_, value)| value);
            let value = value.split("/*").next().unwrap_or(value);
            value
                .match_indices('#')
                .any(|(i, _)| value[i + 1..].starts_with(|c: char| c.is_ascii_hexdigit()))
                || ["rgb(", "hsl(", "rgba(", "hsla("]
                    .iter()
                    .any(|f| value.contains(f))
        })
        .collect();
    assert!(stray.is_empty(), "colours outside :root: {stray:?}");
}

#[test]
fn font_sizes_are_relative() {
    let fixed: Vec<&str> = CSS
        .lines()
        .filter(|l| l.contains("font-size") && l.contains("px"))
        .collect();
    assert!(fixed.is_empty(), "font sizes in px: {fixed:?}");
}
