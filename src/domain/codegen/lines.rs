//! The line and block writers both generators build their programs with.
//!
//! Fixed stretches of code are written as text with [`block`], laid out as
//! they will read in the program; [`line`] writes the lines that
//! interpolate a value or depend on a condition.

/// Appends one line at an indentation depth of 4 spaces per level.
pub(crate) fn line(out: &mut String, depth: usize, text: &str) {
    for _ in 0..depth {
        out.push_str("    ");
    }
    out.push_str(text);
    out.push('\n');
}

/// Appends a fixed run of lines, written as text laid out the way the
/// program reads, each line `depth` levels deeper.
///
/// Convention: `text` is a raw string literal whose content starts on the
/// line after `r#"` (that first newline is dropped) and whose closing `"#`
/// sits on a line of its own (that last, whitespace-only line is dropped).
/// The least indentation (spaces) among the non-blank lines is the margin and
/// is removed, so the literal can be indented to match the Rust around it;
/// what remains is each line's Python indentation within the block. Each
/// line is then written as [`line`] writes it; an empty line is written as
/// a bare newline, as [`blank`] does.
pub(crate) fn block(out: &mut String, depth: usize, text: &str) {
    let text = text.strip_prefix('\n').unwrap_or(text);
    let mut lines: Vec<&str> = text.split('\n').collect();
    if lines.last().is_some_and(|last| last.trim().is_empty()) {
        lines.pop();
    }
    let margin = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start_matches(' ').len())
        .min()
        .unwrap_or(0);
    for text in lines {
        if text.trim().is_empty() {
            blank(out, 1);
        } else {
            line(out, depth, &text[margin..]);
        }
    }
}

/// Appends `count` empty lines (no indentation).
pub(crate) fn blank(out: &mut String, count: usize) {
    for _ in 0..count {
        out.push('\n');
    }
}
