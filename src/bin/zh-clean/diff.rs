//! `--diff`: what cleaning changes, as a unified diff, with the changed
//! characters highlighted on a terminal.

use std::io::{self, IsTerminal};

use crate::args::ColorArg;

/// Whether to colour: `auto` colours a terminal.
pub fn color(choice: Option<ColorArg>) -> bool {
    match choice.unwrap_or(ColorArg::Auto) {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => io::stdout().is_terminal(),
    }
}

/// A unified diff of `old` and `new`. With `color`, removed and added
/// lines are red and green, and within a changed line the characters that
/// differ are highlighted (removed spaces show as `␣`).
pub fn diff(name: &str, old: &str, new: &str, color: bool) -> String {
    use similar::{ChangeTag, DiffOp, TextDiff};
    use std::fmt::Write as _;
    let d = TextDiff::from_lines(old, new);
    let mut out = String::new();
    if d.ratio() == 1.0 {
        return out;
    }
    let _ = writeln!(out, "--- {name}\n+++ {name} (cleaned)");
    let paint = |out: &mut String, sign: char, line: &str, other: Option<&str>| {
        let line = line.trim_end_matches('\n');
        if !color {
            let _ = writeln!(out, "{sign}{line}");
            return;
        }
        let base = if sign == '-' { "\x1b[31m" } else { "\x1b[32m" };
        let _ = write!(out, "{base}{sign}");
        match other {
            Some(other) => {
                let other = other.trim_end_matches('\n');
                let (a, b) = if sign == '-' { (line, other) } else { (other, line) };
                let chars = TextDiff::from_chars(a, b);
                for change in chars.iter_all_changes() {
                    let text = change.value();
                    match (change.tag(), sign) {
                        (ChangeTag::Equal, _) => out.push_str(text),
                        (ChangeTag::Delete, '-') => {
                            let _ = write!(out, "\x1b[7m{}\x1b[27m", text.replace(' ', "␣"));
                        }
                        (ChangeTag::Insert, '+') => {
                            let _ = write!(out, "\x1b[7m{text}\x1b[27m");
                        }
                        _ => {}
                    }
                }
            }
            None => out.push_str(line),
        }
        out.push_str("\x1b[0m\n");
    };
    for group in d.grouped_ops(1) {
        let (first, last) = (&group[0], &group[group.len() - 1]);
        let _ = writeln!(
            out,
            "@@ -{},{} +{},{} @@",
            first.old_range().start + 1,
            last.old_range().end - first.old_range().start,
            first.new_range().start + 1,
            last.new_range().end - first.new_range().start
        );
        for op in &group {
            let old_lines: Vec<&str> = op.old_range().filter_map(|i| d.old_slice(i)).collect();
            let new_lines: Vec<&str> = op.new_range().filter_map(|i| d.new_slice(i)).collect();
            match op {
                DiffOp::Equal { .. } => {
                    for l in old_lines {
                        let _ = writeln!(out, " {}", l.trim_end_matches('\n'));
                    }
                }
                _ => {
                    // Pair removed and added lines for character highlights.
                    let paired = old_lines.len() == new_lines.len();
                    for (i, l) in old_lines.iter().enumerate() {
                        paint(&mut out, '-', l, paired.then(|| new_lines[i]));
                    }
                    for (i, l) in new_lines.iter().enumerate() {
                        paint(&mut out, '+', l, paired.then(|| old_lines[i]));
                    }
                }
            }
        }
    }
    out
}
