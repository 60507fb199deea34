//! The one writer of cleaned text's layout.
//!
//! Cleaned text has one layout, whoever writes it: **one unit per line**
//! (a paragraph, a list item, a heading, a code block), **a blank line
//! between groups** of units, and **a final newline exactly when the input
//! had one** (and something was written). The pipeline writes a document's
//! units through a [`Sink`], the main-content filter writes the lines it
//! keeps through one, and [`crate::structure::render`] too; the stream
//! joins cleaned pieces with the same two separators ([`UNIT`], [`GROUP`]).
//!
//! A sink also keeps clean text borrowed: it compares what is written with
//! the input as it goes, and copies nothing as long as the output is a
//! prefix of the input. Cleaning text that needs no change therefore
//! allocates nothing.

use std::borrow::Cow;

/// What separates two units of a group: a line end.
pub(crate) const UNIT: &str = "\n";
/// What separates two groups: a blank line.
pub(crate) const GROUP: &str = "\n\n";

/// Collects the output in the layout above, borrowing the input for as
/// long as the output is a prefix of it.
pub(crate) struct Sink<'a> {
    src: &'a str,
    /// How much of `src` the output has matched so far (all of the output,
    /// while `out` is `None`).
    matched: usize,
    /// The output, from the first byte that differed from `src`.
    out: Option<String>,
    /// Units started so far.
    units: usize,
}

impl<'a> Sink<'a> {
    /// A sink comparing its output with `src` (`""` to compare with
    /// nothing).
    pub(crate) fn new(src: &'a str) -> Self {
        Sink { src, matched: 0, out: None, units: 0 }
    }

    /// Starts a unit: after the first, writes the separator, a blank line
    /// when the unit starts a new group.
    pub(crate) fn unit(&mut self, new_group: bool) {
        if self.units > 0 {
            self.push(if new_group { GROUP } else { UNIT });
        }
        self.units += 1;
    }

    /// Writes `s` as it is.
    pub(crate) fn push(&mut self, s: &str) {
        if self.out.is_none() {
            if self.src.as_bytes()[self.matched..].starts_with(s.as_bytes()) {
                self.matched += s.len();
                return;
            }
            let mut out = String::with_capacity(self.src.len());
            out.push_str(&self.src[..self.matched]);
            self.out = Some(out);
        }
        if let Some(out) = self.out.as_mut() {
            out.push_str(s);
        }
    }

    /// Whether anything has been written.
    fn written(&self) -> bool {
        self.matched > 0 || self.out.as_ref().is_some_and(|o| !o.is_empty())
    }

    /// The output, ending with a newline when `final_newline` is true and
    /// anything was written; borrowed from the input when it is a prefix
    /// of it.
    pub(crate) fn finish(mut self, final_newline: bool) -> Cow<'a, str> {
        if final_newline && self.written() {
            self.push("\n");
        }
        match self.out {
            Some(out) => Cow::Owned(out),
            None => Cow::Borrowed(&self.src[..self.matched]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes `groups` of units through a sink comparing with `src`.
    fn write<'a>(src: &'a str, groups: &[&[&str]], final_newline: bool) -> Cow<'a, str> {
        let mut sink = Sink::new(src);
        for group in groups {
            for (i, unit) in group.iter().enumerate() {
                sink.unit(i == 0);
                sink.push(unit);
            }
        }
        sink.finish(final_newline)
    }

    #[test]
    fn units_take_a_line_groups_a_blank_line_between() {
        assert_eq!(write("", &[&["甲", "乙"], &["丙"]], false), "甲\n乙\n\n丙");
        assert_eq!(write("", &[&["甲", "乙"], &["丙"]], true), "甲\n乙\n\n丙\n");
        assert_eq!(write("", &[&["甲"]], true), "甲\n");
    }

    #[test]
    fn nothing_written_gets_no_final_newline() {
        assert_eq!(write("", &[], true), "");
        assert_eq!(write("\n", &[], true), "");
    }

    #[test]
    fn an_output_that_is_the_input_is_borrowed() {
        let src = "甲\n乙\n\n丙\n";
        assert!(matches!(write(src, &[&["甲", "乙"], &["丙"]], true), Cow::Borrowed(s) if s == src));
        // A prefix of the input is borrowed too.
        assert!(matches!(write(src, &[&["甲"]], false), Cow::Borrowed("甲")));
        // A difference anywhere makes a copy, with everything before it.
        let out = write(src, &[&["甲", "乙"], &["丁"]], true);
        assert!(matches!(out, Cow::Owned(_)));
        assert_eq!(out, "甲\n乙\n\n丁\n");
    }
}
