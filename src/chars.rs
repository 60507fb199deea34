//! Character classification shared by every stage.
//!
//! Every decision zh-clean makes about a whitespace run or a punctuation mark
//! starts from the same question: *what kind of character is this?* The
//! answer lives here, once, so that the spacing, punctuation and structure
//! stages agree with each other.
//!
//! The classes are deliberately coarse:
//!
//! * [`Class::Han`] — ideographs (CJK Unified Ideographs and all extensions,
//!   compatibility ideographs), kana, bopomofo and the iteration marks. Text
//!   written in these scripts does not use spaces between words.
//! * [`Class::CjkPunct`] — fullwidth punctuation that only occurs in CJK text:
//!   `，。、：；！？（）「」『』《》〈〉【】`, the ideographic space and the
//!   other marks of the CJK Symbols and Punctuation and Halfwidth/Fullwidth
//!   Forms blocks. Spaces next to these are never wanted.
//! * [`Class::AmbiguousPunct`] — marks shared by CJK and Western typography:
//!   `·` `‧` `•` `—` `–` `…` and the curly quotes. They behave as CJK
//!   punctuation when a neighbour is CJK, as Western punctuation otherwise.
//! * [`Class::Alnum`] — letters and digits of alphabetic scripts (Latin,
//!   Greek, Cyrillic, Hangul, …) and ASCII digits: the characters that form
//!   space-separated words.
//! * [`Class::AsciiPunct`] — ASCII punctuation and symbols.
//! * [`Class::Space`] — horizontal whitespace (after the hygiene stage only
//!   ASCII space and tab remain).
//! * [`Class::Other`] — everything else: symbols, emoji, marks.
//!
//! The functions are `#[inline]` and branch on the ASCII range first, so the
//! common case costs one comparison.

use crate::bytes::{decode_at, ideograph_at};

/// The coarse class of a character. See the [module documentation](self).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Class {
    /// Ideographs, kana, bopomofo: scripts written without word spaces.
    Han,
    /// Fullwidth punctuation used only in CJK text.
    CjkPunct,
    /// Punctuation shared by CJK and Western text (`·`, `—`, `…`, curly quotes).
    AmbiguousPunct,
    /// Letters and digits of scripts that separate words with spaces.
    Alnum,
    /// ASCII punctuation and symbols.
    AsciiPunct,
    /// Horizontal whitespace.
    Space,
    /// Anything else (symbols, emoji, combining marks, controls).
    Other,
}

/// Returns the [`Class`] of `c`.
///
/// ```
/// use zh_clean::chars::{class, Class};
/// assert_eq!(class('香'), Class::Han);
/// assert_eq!(class('，'), Class::CjkPunct);
/// assert_eq!(class('·'), Class::AmbiguousPunct);
/// assert_eq!(class('A'), Class::Alnum);
/// assert_eq!(class('%'), Class::AsciiPunct);
/// ```
#[inline]
pub fn class(c: char) -> Class {
    let u = c as u32;
    if u < 0x80 {
        return match c {
            'a'..='z' | 'A'..='Z' | '0'..='9' => Class::Alnum,
            ' ' | '\t' => Class::Space,
            '!'..='/' | ':'..='@' | '['..='`' | '{'..='~' => Class::AsciiPunct,
            _ => Class::Other,
        };
    }
    if is_han(c) {
        return Class::Han;
    }
    if is_cjk_punct(c) {
        return Class::CjkPunct;
    }
    if is_ambiguous_punct(c) {
        return Class::AmbiguousPunct;
    }
    if c.is_alphanumeric() {
        return Class::Alnum;
    }
    if c.is_whitespace() && c != '\n' {
        return Class::Space;
    }
    Class::Other
}

/// True for ideographs, kana, bopomofo and the ideographic iteration marks.
#[inline]
pub fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3005..=0x3007          // 々 〆 〇
        | 0x3021..=0x3029        // Hangzhou numerals
        | 0x3031..=0x3035        // kana repeat marks
        | 0x303B..=0x303C        // 〻 〼
        | 0x3040..=0x309F        // hiragana
        | 0x30A0..=0x30FA        // katakana (without the middle dot U+30FB)
        | 0x30FC..=0x30FF        // prolonged sound mark, iteration marks
        | 0x3100..=0x312F        // bopomofo
        | 0x31A0..=0x31BF        // bopomofo extended
        | 0x31F0..=0x31FF        // katakana phonetic extensions
        | 0x3400..=0x4DBF        // extension A
        | 0x4E00..=0x9FFF        // unified ideographs
        | 0xF900..=0xFAFF        // compatibility ideographs
        | 0xFF66..=0xFF9F        // halfwidth katakana
        | 0x20000..=0x2FA1F      // extensions B–F, compatibility supplement
        | 0x30000..=0x323AF      // extensions G–H
    )
}

/// True for punctuation that only occurs in CJK text (fullwidth forms, CJK
/// brackets and marks, the ideographic space).
#[inline]
pub fn is_cjk_punct(c: char) -> bool {
    matches!(c as u32,
        0x3000..=0x3004          // ideographic space, 、。〃 〄
        | 0x3008..=0x3020        // 〈〉《》「」『』【】〔〕… 〜 〝〞〟
        | 0x302A..=0x3030        // tone marks, 〰
        | 0x303D..=0x303F
        | 0x30FB                 // katakana middle dot
        | 0xFE10..=0xFE1F        // vertical forms
        | 0xFE30..=0xFE4F        // CJK compatibility forms
        | 0xFE50..=0xFE6F        // small form variants
        | 0xFF01..=0xFF0F        // ！＂＃＄％＆＇（）＊＋，－．／
        | 0xFF1A..=0xFF20        // ：；＜＝＞？＠
        | 0xFF3B..=0xFF40        // ［＼］＾＿｀
        | 0xFF5B..=0xFF65        // ｛｜｝～ ｟｠ ｡｢｣､･
        | 0xFFE0..=0xFFEE        // fullwidth currency and symbols
    )
}

/// True for punctuation that is shared by CJK and Western typography.
#[inline]
pub fn is_ambiguous_punct(c: char) -> bool {
    matches!(
        c,
        '\u{00B7}'  // · middle dot
        | '\u{2027}' // ‧ hyphenation point
        | '\u{2022}' // • bullet
        | '\u{2013}' // – en dash
        | '\u{2014}' // — em dash
        | '\u{2015}' // ― horizontal bar
        | '\u{2026}' // … ellipsis
        | '\u{22EF}' // ⋯ midline ellipsis (CJK typesetting)
        | '\u{2018}'
            ..='\u{201F}' // ‘ ’ ‚ ‛ “ ” „ ‟
        | '\u{2025}' // ‥
        | '\u{2030}' // ‰
        | '\u{203B}' // ※
        | '\u{2103}' // ℃
        | '\u{2500}' // ─ box drawing used as a dash
        | '\u{00D7}' // ×
        | '\u{2236}' // ∶
    )
}

/// True for the characters whose neighbouring spaces are never wanted in CJK
/// text: [`Class::Han`] and [`Class::CjkPunct`].
#[inline]
pub fn is_cjk(c: char) -> bool {
    matches!(class(c), Class::Han | Class::CjkPunct)
}

/// True for letters and digits that form space-separated words.
#[inline]
pub fn is_alnum(c: char) -> bool {
    class(c) == Class::Alnum
}

/// True for currency signs (`$ ¢ £ ¥ €` and the rest of the Currency
/// Symbols block), which attach to the number after them.
#[inline]
pub fn is_currency(c: char) -> bool {
    matches!(c, '$' | '\u{A2}'..='\u{A5}' | '\u{20A0}'..='\u{20C0}')
}

/// The halfwidth ASCII form of a fullwidth letter or digit (`Ａ` → `A`,
/// `２` → `2`), the one the punctuation stage writes.
#[inline]
pub fn halfwidth_alnum(c: char) -> Option<char> {
    match c {
        '\u{FF10}'..='\u{FF19}' | '\u{FF21}'..='\u{FF3A}' | '\u{FF41}'..='\u{FF5A}' => {
            char::from_u32(c as u32 - 0xFEE0)
        }
        _ => None,
    }
}

/// Display width of `c` in a terminal: 2 for East Asian Wide and Fullwidth
/// characters, 0 for controls and combining marks, 1 otherwise. Ambiguous
/// characters count 1, as in text-browser dumps.
#[inline]
pub fn width(c: char) -> usize {
    if (c as u32) < 0x7F {
        return usize::from(c >= ' ');
    }
    unicode_width::UnicodeWidthChar::width(c).unwrap_or(0)
}

/// Display width of a string; see [`width`].
pub fn str_width(s: &str) -> usize {
    let bytes = s.as_bytes();
    let mut w = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            w += usize::from(b >= b' ' && b != 0x7F);
            i += 1;
        } else if ideograph_at(bytes, i) {
            // The main blocks of ideographs: all wide.
            w += 2;
            i += 3;
        } else {
            let (c, len) = decode_at(s, i);
            w += width(c);
            i += len;
        }
    }
    w
}

/// The class of the character starting at byte `i` of `s`, and its length:
/// [`class`] with fast paths for ASCII and the main ideograph blocks
/// ([`crate::bytes`]).
#[inline]
pub(crate) fn class_at(s: &str, i: usize) -> (Class, usize) {
    let b = s.as_bytes()[i];
    if b < 0x80 {
        return (class(b as char), 1);
    }
    if ideograph_at(s.as_bytes(), i) {
        return (Class::Han, 3);
    }
    let (c, len) = decode_at(s, i);
    (class(c), len)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_classes() {
        for c in ['a', 'Z', '0', '9'] {
            assert_eq!(class(c), Class::Alnum, "{c:?}");
        }
        for c in "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~".chars() {
            assert_eq!(class(c), Class::AsciiPunct, "{c:?}");
        }
        assert_eq!(class(' '), Class::Space);
        assert_eq!(class('\t'), Class::Space);
        assert_eq!(class('\n'), Class::Other);
    }

    #[test]
    fn han_kana_bopomofo() {
        for c in ['香', '港', '〇', '々', 'あ', 'カ', 'ー', 'ㄅ', '㐀', '𠀀', '𪜀', '豈'] {
            assert_eq!(class(c), Class::Han, "{c:?}");
            assert!(is_cjk(c));
        }
    }

    #[test]
    fn cjk_punctuation() {
        for c in "，。、：；！？（）「」『』《》〈〉【】〔〕　～｜＠＃％／・".chars()
        {
            assert_eq!(class(c), Class::CjkPunct, "{c:?}");
            assert!(is_cjk(c));
        }
    }

    #[test]
    fn ambiguous_punctuation_is_not_cjk_on_its_own() {
        for c in "·‧•–—…⋯“”‘’".chars() {
            assert_eq!(class(c), Class::AmbiguousPunct, "{c:?}");
            assert!(!is_cjk(c));
        }
    }

    #[test]
    fn other_scripts_are_words() {
        for c in ['é', 'ß', 'Ω', 'Ж', '한', '٣'] {
            assert_eq!(class(c), Class::Alnum, "{c:?}");
        }
        for c in ['☆', '□', '©', '😀'] {
            assert_eq!(class(c), Class::Other, "{c:?}");
        }
        assert_eq!(class('\u{00A0}'), Class::Space);
    }

    #[test]
    fn widths() {
        assert_eq!(str_width("香港 AI"), 7);
        assert_eq!(str_width("（）"), 4);
        assert_eq!(width('\u{0301}'), 0);
        assert_eq!(width('\u{7}'), 0);
    }
}
