//! The granularity of the segmenter's words: jieba's dictionary words, cut
//! further where the Universal Dependencies convention for Chinese (and the
//! Penn Chinese Treebank it follows) makes two or more words of them.
//!
//! Three rules, applied to each word jieba finds, in the shadow's
//! (Simplified) characters:
//!
//! 1. A numeral or demonstrative and its classifier are two words:
//!    `一個` → `一 個`, `第一個` → `第一 個`, `這種` → `這 種`.
//! 2. A dictionary word of three or more characters that is a compound of
//!    shorter dictionary words is cut into them: the fewest parts, at most
//!    one of them a single character, the longest first part on a tie
//!    (`博物館` → `博物 館`, `人口密度` → `人口 密度`). Transliterated names
//!    and units of measure (jieba's tags `nrt` and `q`) are not compounds
//!    (`南斯拉夫`, `平方公里` stay whole).
//! 3. `為` and `於` after a verb are words of their own (`成為` → `成 為`,
//!    `位於` → `位 於`), unless the pair is a conjunction, a preposition or
//!    an adverb in the dictionary (`因為`, `對於`, `終於`).

use std::collections::HashMap;
use std::sync::{PoisonError, RwLock};

use jieba_rs::Jieba;

/// Whether `c` is a numeral or a demonstrative that takes a classifier
/// (shadow forms).
fn is_numeral(c: char) -> bool {
    "一二三四五六七八九十百千万亿两几数多半每这那哪该各第零".contains(c)
}

/// Whether `c` is a classifier (shadow forms).
fn is_classifier(c: char) -> bool {
    "个种座条部队支所篇层位名件次间本张场架艘辆匹只项类批份枚栋届颗级处片套首幅段章节门棵株台封群".contains(c)
}

/// Compounds longer than this are left whole.
const MAX_COMPOUND: usize = 8;

/// The parts of a word, as numbers of characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Parts {
    len: u8,
    chars: [u8; MAX_COMPOUND],
}

impl Parts {
    fn of(parts: &[usize]) -> Parts {
        let mut p = Parts { len: 0, chars: [0; MAX_COMPOUND] };
        for &n in parts {
            p.push(n);
        }
        p
    }

    fn push(&mut self, n: usize) {
        // A part has at most MAX_COMPOUND characters.
        self.chars[usize::from(self.len)] = n as u8;
        self.len += 1;
    }

    /// The numbers of characters, in order.
    pub(super) fn as_slice(&self) -> &[u8] {
        &self.chars[..usize::from(self.len)]
    }
}

/// The parts of the dictionary words met so far whose cut needs jieba's
/// part-of-speech tag or a search of the dictionary (rules 2 and 3), each
/// computed once. It holds dictionary words only, so it is bounded by the
/// dictionary whatever the length of the text; adding a word clears it.
#[derive(Debug, Default)]
pub(super) struct Memo(RwLock<HashMap<Box<str>, Option<Parts>>>);

impl Memo {
    /// The memoised parts of `word`, or `compute`'s, remembered when
    /// `compute` says the word is in the dictionary.
    fn get_or(&self, word: &str, compute: impl FnOnce() -> (Option<Parts>, bool)) -> Option<Parts> {
        if let Some(p) = self.0.read().unwrap_or_else(PoisonError::into_inner).get(word) {
            return *p;
        }
        let (parts, in_dictionary) = compute();
        if in_dictionary {
            self.0.write().unwrap_or_else(PoisonError::into_inner).insert(word.into(), parts);
        }
        parts
    }

    /// Forgets every word (the dictionary changed).
    pub(super) fn clear(&mut self) {
        self.0.get_mut().unwrap_or_else(PoisonError::into_inner).clear();
    }
}

/// The parts `word` (a word jieba found in the shadow) is cut into, or
/// `None` when it stays whole.
///
/// The cheap tests come first: most words are two characters long and
/// end with neither `为` nor `于`.
pub(super) fn parts(jieba: &Jieba, memo: &Memo, word: &str) -> Option<Parts> {
    // Two ideographs take six bytes at least.
    if word.len() < 6 {
        return None;
    }
    let mut chars = word.chars();
    let first = chars.next()?;
    let last = chars.next_back()?;
    // Numerals and classifiers are ideographs.
    if is_classifier(last)
        && is_numeral(first)
        && word[..word.len() - last.len_utf8()].chars().all(is_numeral)
    {
        // Rule 1.
        return Some(Parts::of(&[word.chars().count() - 1, 1]));
    }
    let n = 2 + chars.count();
    if n == 2 {
        if !matches!(last, '为' | '于') || !crate::chars::is_cjk(first) {
            return None;
        }
        return memo.get_or(word, || (preposition(jieba, word), jieba.has_word(word)));
    }
    if n > MAX_COMPOUND || !crate::chars::is_cjk(first) || !crate::chars::is_cjk(last) {
        return None;
    }
    memo.get_or(word, || {
        if !jieba.has_word(word) {
            return (None, false);
        }
        let parts = compound(jieba, word, n).filter(|_| !matches!(tag(jieba, word), Some("nrt" | "q")));
        (parts, true)
    })
}

/// Rule 3: a verb and `为` or `于` (the caller has checked the last
/// character).
fn preposition(jieba: &Jieba, word: &str) -> Option<Parts> {
    (!matches!(tag(jieba, word), Some("c" | "p" | "d"))).then(|| Parts::of(&[1, 1]))
}

/// jieba's part-of-speech tag for a dictionary word.
fn tag<'a>(jieba: &'a Jieba, word: &'a str) -> Option<&'a str> {
    match jieba.tag(word, false).as_slice() {
        [t] if t.word == word => Some(t.tag),
        _ => None,
    }
}

/// One step of the best cut from a position: the number of parts to the
/// end, where the part ends, and whether the single character is still
/// allowed after it.
#[derive(Clone, Copy)]
struct Step {
    parts: usize,
    next: usize,
    single_left: bool,
}

/// Rule 2: the fewest dictionary words (at most one single character)
/// that `word`, itself excluded, is made of; the longest first on a tie.
fn compound(jieba: &Jieba, word: &str, n: usize) -> Option<Parts> {
    let mut bounds = [word.len(); MAX_COMPOUND + 1];
    for (k, (i, _)) in word.char_indices().enumerate() {
        bounds[k] = i;
    }
    // best[k][i]: the best cut of characters i.. with k singles allowed.
    let mut best = [[None::<Step>; MAX_COMPOUND + 1]; 2];
    for (k, row) in best.iter_mut().enumerate() {
        row[n] = Some(Step { parts: 0, next: n, single_left: k == 1 });
    }
    for i in (0..n).rev() {
        for j in (i + 1..=n).rev() {
            if (i, j) == (0, n) || (j - i > 1 && !jieba.has_word(&word[bounds[i]..bounds[j]])) {
                continue;
            }
            for k in 0..2 {
                // A single character uses up the allowance.
                let after = match (j - i, k) {
                    (1, 0) => continue,
                    (1, _) => 0,
                    _ => k,
                };
                let Some(rest) = best[after][j] else { continue };
                if best[k][i].is_none_or(|b| rest.parts + 1 < b.parts) {
                    best[k][i] = Some(Step { parts: rest.parts + 1, next: j, single_left: after == 1 });
                }
            }
        }
    }
    let mut parts = Parts::of(&[]);
    let (mut i, mut k) = (0, 1);
    while i < n {
        let step = best[k][i]?;
        parts.push(step.next - i);
        (i, k) = (step.next, usize::from(step.single_left));
    }
    Some(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cut(word: &str) -> Option<Vec<u8>> {
        static JIEBA: std::sync::LazyLock<Jieba> = std::sync::LazyLock::new(Jieba::new);
        let memo = Memo::default();
        let first = parts(&JIEBA, &memo, word).map(|p| p.as_slice().to_vec());
        // The memoised answer is the same.
        assert_eq!(parts(&JIEBA, &memo, word).map(|p| p.as_slice().to_vec()), first);
        first
    }

    #[test]
    fn numerals_and_classifiers() {
        assert_eq!(cut("一个"), Some(vec![1, 1]));
        assert_eq!(cut("第一个"), Some(vec![2, 1]));
        assert_eq!(cut("这种"), Some(vec![1, 1]));
        assert_eq!(cut("一般"), None);
    }

    #[test]
    fn compounds() {
        assert_eq!(cut("博物馆"), Some(vec![2, 1]));
        assert_eq!(cut("人口密度"), Some(vec![2, 2]));
        assert_eq!(cut("文化大革命"), Some(vec![2, 3]));
        assert_eq!(cut("南斯拉夫"), None);
        assert_eq!(cut("平方公里"), None);
        assert_eq!(cut("巧克力"), None);
    }

    #[test]
    fn verbs_and_prepositions() {
        assert_eq!(cut("成为"), Some(vec![1, 1]));
        assert_eq!(cut("位于"), Some(vec![1, 1]));
        assert_eq!(cut("因为"), None);
        assert_eq!(cut("对于"), None);
        assert_eq!(cut("研究"), None);
    }
}
