//! The byte-level classifier: what the fast paths of every stage know about
//! UTF-8 bytes.
//!
//! Most of a Chinese document is ideographs that no stage changes, and most
//! of the rest is ASCII. The stages find the few characters they act on by
//! scanning bytes, not characters: an ASCII byte is its own character, and
//! the main block of ideographs can be recognised, and skipped, from its
//! lead byte alone. Every such scan asks this module, so that there is one
//! answer to "how long is this sequence" and "is this an ideograph":
//!
//! | lead byte | second byte | characters |
//! |---|---|---|
//! | `00`–`7F` | | ASCII, one byte |
//! | `C2`–`DF` | | U+0080–U+07FF, two bytes (Latin-1, Greek, Cyrillic, …) |
//! | `E3` | `80` | U+3000–U+303F, CJK symbols and punctuation (U+3000 is the ideographic space) |
//! | `E4` | not `B7` | U+4000–U+4FFF but U+4DC0–U+4DFF (the Yijing hexagram symbols): ideographs |
//! | `E5`–`E9` | | U+5000–U+9FFF: ideographs |
//! | other `E0`–`EF` | | the rest of U+0800–U+FFFF, three bytes |
//! | `F0`–`F4` | | U+10000 and above, four bytes |
//!
//! Every function takes valid UTF-8 (a `&str`'s bytes) and a character
//! boundary. The character-level view (what a character *is* for spacing
//! and punctuation) is [`crate::chars`]; these are its fast paths.
//!
//! Raw bytes that may not be UTF-8 (what the encoding repair re-encodes,
//! what the decoder reads) are validated where they are read, with the
//! standard library's or `encoding_rs`'s decoders; [`lead_len`] tells the
//! repair which bytes may start a sequence at all.

/// The length of the UTF-8 sequence each lead byte starts (continuation
/// bytes, which start none, read as 1 so that a scan always advances).
const LEN: [u8; 256] = {
    let mut t = [1u8; 256];
    let mut b = 0xC0;
    while b <= 0xFF {
        t[b] = match b {
            0xC0..=0xDF => 2,
            0xE0..=0xEF => 3,
            _ => 4,
        };
        b += 1;
    }
    t
};

/// The length in bytes of the UTF-8 sequence that `lead` starts.
#[inline]
pub(crate) fn utf8_len(lead: u8) -> usize {
    usize::from(LEN[usize::from(lead)])
}

/// For raw bytes, which may not be UTF-8 (what the encoding repair writes
/// back): the length of the sequence `b` starts when it is a lead byte of
/// valid UTF-8; `None` for a continuation byte and for the bytes UTF-8
/// never uses (`C0`, `C1`, `F5`–`FF`).
#[inline]
pub(crate) fn lead_len(b: u8) -> Option<usize> {
    match b {
        0x00..=0x7F | 0xC2..=0xF4 => Some(utf8_len(b)),
        _ => None,
    }
}

/// The character starting at byte `i` of `s` (a character boundary) and its
/// length in bytes.
#[inline]
pub(crate) fn decode_at(s: &str, i: usize) -> (char, usize) {
    let b = s.as_bytes();
    let lead = u32::from(b[i]);
    // The bits of continuation byte `k` (the string is valid UTF-8, so
    // they are there; a missing one reads as U+FFFD's and never occurs).
    let cont = |k: usize| b.get(i + k).map_or(0x3F, |&c| u32::from(c) & 0x3F);
    let (code, len) = match lead {
        0x00..=0x7F => (lead, 1),
        0xC0..=0xDF => ((lead & 0x1F) << 6 | cont(1), 2),
        0xE0..=0xEF => ((lead & 0x0F) << 12 | cont(1) << 6 | cont(2), 3),
        _ => ((lead & 0x07) << 18 | cont(1) << 12 | cont(2) << 6 | cont(3), 4),
    };
    (char::from_u32(code).unwrap_or('\u{FFFD}'), len)
}

/// Whether the character at byte `i` of `bytes` is an ideograph of
/// U+4000–U+9FFF other than the Yijing hexagram symbols U+4DC0–U+4DFF: the
/// main blocks of ideographs, all wide, all of [`crate::chars::Class::Han`],
/// all alphanumeric, all three bytes long, all unchanged by normalisation.
#[inline]
pub(crate) fn ideograph_at(bytes: &[u8], i: usize) -> bool {
    match bytes.get(i) {
        Some(0xE5..=0xE9) => true,
        Some(0xE4) => bytes.get(i + 1) != Some(&0xB7),
        _ => false,
    }
}

/// Whether the character at byte `i` of `bytes` is of the CJK Symbols and
/// Punctuation block, U+3000–U+303F (three bytes).
#[inline]
pub(crate) fn cjk_symbol_at(bytes: &[u8], i: usize) -> bool {
    bytes.get(i) == Some(&0xE3) && bytes.get(i + 1) == Some(&0x80)
}

/// The first byte at or after `i` that does not start an ideograph of
/// [`ideograph_at`]: a run of them, which no stage changes and no rule
/// looks into, is passed over three bytes at a time.
#[inline]
pub(crate) fn skip_ideographs(bytes: &[u8], mut i: usize) -> usize {
    while ideograph_at(bytes, i) {
        i += 3;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every character, as a string, for the exhaustive checks.
    fn every_char() -> impl Iterator<Item = (char, String)> {
        (0..=0x10FFFFu32).filter_map(char::from_u32).map(|c| (c, c.to_string()))
    }

    #[test]
    fn lengths_agree_with_the_standard_library() {
        for (c, s) in every_char() {
            assert_eq!(utf8_len(s.as_bytes()[0]), c.len_utf8(), "{c:?}");
            assert_eq!(decode_at(&s, 0), (c, c.len_utf8()));
        }
    }

    #[test]
    fn lead_bytes_are_those_that_start_a_character() {
        let mut starts = [None; 256];
        for (c, s) in every_char() {
            starts[usize::from(s.as_bytes()[0])] = Some(c.len_utf8());
        }
        for b in 0..=255u8 {
            assert_eq!(lead_len(b), starts[usize::from(b)], "{b:#04x}");
        }
    }

    #[test]
    fn the_fast_tests_agree_with_the_code_points() {
        for (c, s) in every_char() {
            let u = c as u32;
            let ideograph = (0x4000..=0x9FFF).contains(&u) && !(0x4DC0..=0x4DFF).contains(&u);
            assert_eq!(ideograph_at(s.as_bytes(), 0), ideograph, "{c:?}");
            if ideograph {
                assert!(c.is_alphanumeric() && crate::chars::is_han(c), "{c:?}");
            }
            assert_eq!(cjk_symbol_at(s.as_bytes(), 0), (0x3000..=0x303F).contains(&u), "{c:?}");
        }
        // Out of range is no character.
        assert!(!ideograph_at(b"", 0) && !cjk_symbol_at("香".as_bytes(), 3));
    }

    #[test]
    fn skipping_stops_at_the_first_other_character() {
        let s = "香港䷀a";
        assert_eq!(skip_ideographs(s.as_bytes(), 0), 6);
        assert_eq!(skip_ideographs(s.as_bytes(), 6), 6);
        assert_eq!(skip_ideographs("中文".as_bytes(), 0), 6);
        assert_eq!(skip_ideographs(b"", 0), 0);
    }
}
