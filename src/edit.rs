//! A lazily allocating string editor.
//!
//! Every stage reads a `&str` and usually changes nothing — the input is
//! already clean. [`Edit`] lets a stage describe its changes as replacements
//! of byte ranges, in order, and only allocates the output string at the
//! first replacement that actually differs from the input. A stage that
//! changed nothing returns `Cow::Borrowed` without copying a byte.

use std::borrow::Cow;

/// Builds the edited copy of `src` from in-order, non-overlapping
/// replacements; see the [module documentation](self).
#[derive(Debug)]
pub(crate) struct Edit<'a> {
    src: &'a str,
    out: Option<String>,
    /// Everything in `src` before `pos` has been handled.
    pos: usize,
    /// Replacements that changed something.
    changes: usize,
}

impl<'a> Edit<'a> {
    pub(crate) fn new(src: &'a str) -> Self {
        Edit { src, out: None, pos: 0, changes: 0 }
    }

    /// Replaces `src[start..end]` with `with`. Ranges must come in order.
    #[inline]
    pub(crate) fn replace(&mut self, start: usize, end: usize, with: &str) {
        debug_assert!(self.pos <= start && start <= end);
        if self.out.is_none() && &self.src[start..end] == with {
            return;
        }
        if &self.src[start..end] != with {
            self.changes += 1;
        }
        let out = self.out.get_or_insert_with(|| String::with_capacity(self.src.len() + 16));
        out.push_str(&self.src[self.pos..start]);
        out.push_str(with);
        self.pos = end;
    }

    /// Inserts `with` at byte offset `at`.
    #[inline]
    pub(crate) fn insert(&mut self, at: usize, with: &str) {
        self.replace(at, at, with);
    }

    /// The edited text before `src` offset `at` (at or after the last
    /// replacement), in two pieces: what has been written, then the part of
    /// `src` not yet copied.
    pub(crate) fn before(&self, at: usize) -> [&str; 2] {
        match &self.out {
            None => ["", &self.src[..at]],
            Some(out) => [out, &self.src[self.pos..at]],
        }
    }

    /// How many replacements changed something.
    pub(crate) fn changes(&self) -> usize {
        self.changes
    }

    /// The edited text: borrowed when no replacement changed anything.
    pub(crate) fn finish(self) -> Cow<'a, str> {
        match self.out {
            None => Cow::Borrowed(self.src),
            Some(mut out) => {
                out.push_str(&self.src[self.pos..]);
                Cow::Owned(out)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_before_an_offset() {
        let mut e = Edit::new("a b c");
        assert_eq!(e.before(3), ["", "a b"]);
        e.replace(1, 2, "");
        assert_eq!(e.before(4).concat(), "ab ");
    }

    #[test]
    fn unchanged_is_borrowed() {
        let mut e = Edit::new("abc");
        e.replace(1, 2, "b");
        assert!(matches!(e.finish(), Cow::Borrowed("abc")));
    }

    #[test]
    fn replacements_in_order() {
        let mut e = Edit::new("a b c");
        e.replace(1, 2, "");
        e.insert(3, "-");
        e.replace(3, 4, "");
        assert_eq!(e.finish(), "ab-c");
    }
}
