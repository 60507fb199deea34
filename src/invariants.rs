//! The three promises every cleaning keeps, as checks a test, a fuzzer or a
//! pipeline can run on any input and output.
//!
//! 1. **Nothing lost**: every ideograph, letter and digit of the input is in
//!    the output, in the same order ([`letters`] of both are equal), with the
//!    variants stage off — the only conversions allowed are the documented
//!    ones of the encoding repair (a mis-decoded span becomes the text it
//!    was made from: [`crate::mojibake`], which has its own check, that each
//!    repaired span encodes back to the input) and of the hygiene and
//!    punctuation stages (NFC, radicals and compatibility ideographs to
//!    unified ones, fullwidth letters and digits to halfwidth).
//! 2. **Nothing added**: no character appears in the output more often than
//!    in the input, except the marks of [`CONVERSIONS`] that the punctuation
//!    and structure stages write in place of others; an ellipsis never grows
//!    (see [`nothing_added`]).
//! 3. **Clean text untouched**: [`Cleaner::clean_cow`](crate::Cleaner::clean_cow)
//!    borrows its input when nothing changes (checked where it is promised:
//!    on the gold files of the tests).
//!
//! ```
//! use zh_clean::{invariants, Cleaner, Options, Variants};
//! let input = "香港 生產 力 局 , 九龍 2023年 ... 完";
//! let out = Cleaner::new(Options::default().variants(Variants::None)).clean(input);
//! assert_eq!(out, "香港生產力局，九龍2023年……完");
//! assert_eq!(invariants::letters(&out), invariants::source_letters(input));
//! assert!(invariants::nothing_added(input, &out).is_ok());
//! assert!(invariants::nothing_added("好…", "好……").is_err());
//! ```

/// What the punctuation and structure stages may write in place of other
/// characters: fullwidth forms of ASCII marks, quotes by profile, the
/// ellipsis (counted separately, see [`nothing_added`]), middle dots, the
/// doubled dash, and the line end and space of a joined or separated line.
pub const CONVERSIONS: &str = "，。：；！？（）「」『』“”‘’·‧—\n ";

/// The ideographs, letters and digits of `s`, after the conversions the
/// pipeline documents (hygiene: NFC, radicals and compatibility ideographs
/// to unified ones; fullwidth letters and digits to halfwidth): what
/// "nothing lost" compares (an input's with [`source_letters`]). Letters are compared without their combining
/// marks (canonically decomposed, marks dropped): the spacing and structure
/// stages may reattach a mark that a space or a line end had set apart from
/// its letter (`D ü ndar`).
pub fn letters(s: &str) -> String {
    letters_of(&crate::hygiene::clean(s))
}

/// [`letters`] of an input, after the encoding repair
/// ([`crate::mojibake`]) that cleaning applies first: what an output's
/// letters are compared with. (An output is read as it is: a second repair
/// is the pipeline's business, not the comparison's.)
pub fn source_letters(s: &str) -> String {
    letters_of(&crate::prepare_text(s, true, true).0)
}

/// The letters of text after hygiene.
fn letters_of(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut keep = |c: char| {
        if c.is_ascii() {
            if c.is_ascii_alphanumeric() {
                out.push(c);
            }
        } else if !unicode_normalization::char::is_combining_mark(c) {
            let c = crate::chars::halfwidth_alnum(c).unwrap_or(c);
            if c.is_ascii_alphanumeric() || crate::chars::is_han(c) || (!c.is_ascii() && c.is_alphanumeric())
            {
                out.push(c);
            }
        }
    };
    for c in s.chars() {
        // ASCII and ideographs decompose to themselves.
        if c.is_ascii() || crate::chars::is_han(c) {
            keep(c);
        } else {
            unicode_normalization::char::decompose_canonical(c, &mut keep);
        }
    }
    out
}

/// Checks that `out` adds nothing to `input`: every character of `out`
/// outside [`CONVERSIONS`] occurs no more often than in `input` after
/// the encoding repair and hygiene (a fullwidth letter or digit also counting as its halfwidth
/// form; both sides decomposed, so that a letter and a mark may compose), and `out` has no more ellipsis characters `…` than `input` has,
/// plus two for each run of `.` or `。` that may have become one `……`.
/// The error names a character added and its counts.
pub fn nothing_added(input: &str, out: &str) -> Result<(), String> {
    use unicode_normalization::UnicodeNormalization;
    let hygienic = crate::prepare_text(input, true, true).0;
    // Counting by sorting: both sides sorted, then walked together. Both
    // are decomposed (NFD): a letter and a combining mark that a join
    // brought together compose (`e` + `◌́` = `é`), and add nothing.
    let mut allowed: Vec<char> = Vec::with_capacity(hygienic.len());
    for c in hygienic.nfd() {
        allowed.push(c);
        allowed.extend(crate::chars::halfwidth_alnum(c));
    }
    let mut written: Vec<char> = out.nfd().filter(|&c| !CONVERSIONS.contains(c)).collect();
    allowed.sort_unstable();
    written.sort_unstable();
    let ellipses = 2 * dot_runs(&hygienic);
    let (mut a, mut w) = (0, 0);
    while w < written.len() {
        let c = written[w];
        let n = written[w..].iter().take_while(|&&x| x == c).count();
        while a < allowed.len() && allowed[a] < c {
            a += 1;
        }
        let have = allowed[a..].iter().take_while(|&&x| x == c).count();
        let limit = have + if c == '…' { ellipses } else { 0 };
        if n > limit {
            return Err(format!("{c:?} added ({n} in the output, at most {limit} allowed)"));
        }
        w += n;
    }
    Ok(())
}

/// Runs of `.` or `。` (spaces between them aside): each may become `……`.
fn dot_runs(s: &str) -> usize {
    let mut runs = 0;
    let mut in_run = false;
    for c in s.chars() {
        match c {
            '.' | '。' => {
                runs += usize::from(!in_run);
                in_run = true;
            }
            ' ' | '\t' => {}
            _ => in_run = false,
        }
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ellipsis_never_grows() {
        assert!(nothing_added("好…", "好…").is_ok());
        assert!(nothing_added("好… …", "好……").is_ok());
        assert!(nothing_added("好…", "好……").is_err());
        assert!(nothing_added("好...完", "好……完").is_ok());
        assert!(nothing_added("好. . .完。。。", "好……完……").is_ok());
    }

    #[test]
    fn conversions_are_allowed_and_nothing_else() {
        assert!(nothing_added("香港 , 九龍", "香港，九龍").is_ok());
        assert!(nothing_added("ＡＩ", "AI").is_ok());
        // A letter and a mark a join brought together compose.
        assert!(nothing_added("e\n\u{301}", "é").is_ok());
        assert!(nothing_added("e", "é").is_err());
        assert!(nothing_added("香港", "香港港").is_err());
        assert!(nothing_added("a", "a\"").is_err());
    }

    #[test]
    fn counts_are_compared_whatever_the_order() {
        assert!(nothing_added("港香a港", "香港港a").is_ok());
        assert_eq!(
            nothing_added("港a香", "a香港港").unwrap_err(),
            "'港' added (2 in the output, at most 1 allowed)"
        );
        assert!(nothing_added("", "").is_ok());
        assert!(nothing_added("", "，。").is_ok());
        assert!(nothing_added("", "z").is_err());
    }

    #[test]
    fn letters_are_compared_after_documented_conversions() {
        assert_eq!(letters("ＡＩ ⼈ , 1"), "AI人1");
        assert_eq!(letters("D ü ndar"), letters("Dündar"));
        assert_eq!(letters("e\n\u{301}"), "e");
        assert_eq!(letters("（ 香港 ）"), "香港");
    }
}
