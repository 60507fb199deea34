//! A pure-Rust implementation of OpenCC's conversions.
//!
//! [OpenCC](https://github.com/BYVoid/OpenCC) converts between Simplified and
//! Traditional Chinese and between regional standards with dictionaries and
//! a small algorithm. This module reimplements the algorithm over OpenCC's
//! own dictionaries (version 1.1.6, Apache-2.0, vendored in `data/opencc/`),
//! so that the result is the same as the C++ library's — it passes all of
//! OpenCC 1.1.6's test cases — without linking it.
//!
//! ## The algorithm
//!
//! A *configuration* (`s2hk`, `t2s`, …) names a segmentation dictionary and a
//! chain of conversion steps, each a dictionary or an ordered group of them.
//!
//! 1. **Segmentation**: the text is cut by forward maximum matching against
//!    the segmentation dictionary — at each position the longest key that
//!    starts there is a segment; the characters no key starts at are
//!    gathered into segments of their own.
//! 2. **Conversion**: each step rewrites each segment independently, again by
//!    forward maximum matching: the longest key at a position is replaced by
//!    its first value; a character no key starts at is copied. In a *group*,
//!    the first dictionary that has any key at the position wins, even if a
//!    later one has a longer key.
//!
//! Forward maximum matching is exactly a leftmost-longest search, which a
//! double-array Aho–Corasick automaton ([`daachorse`]) runs in one pass. The
//! group rule is folded into the automaton when it is built: a key of a later
//! dictionary that extends a key of an earlier one (or repeats it) is
//! dropped, because wherever it matches, the earlier dictionary matches too
//! and wins. What remains is a plain leftmost-longest search.
//!
//! Two shortcuts keep the common configurations to one or two passes: when
//! the first step's group starts with the segmentation dictionary, the
//! segments are exactly that step's matches, so both run as one search; and
//! a step whose dictionaries map single characters only ignores segment
//! boundaries, so it runs over the whole text.
//!
//! Automata are built on first use (tens of milliseconds for the largest)
//! and shared by every converter in the process.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, LazyLock, Mutex, OnceLock};

use daachorse::{CharwiseDoubleArrayAhoCorasick, CharwiseDoubleArrayAhoCorasickBuilder, MatchKind};

use crate::edit::Edit;

/// An OpenCC conversion configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum Config {
    /// Simplified → Traditional (OpenCC standard).
    S2t,
    /// Traditional (OpenCC standard) → Simplified.
    T2s,
    /// Simplified → Traditional, Taiwan standard.
    S2tw,
    /// Traditional, Taiwan standard → Simplified.
    Tw2s,
    /// Simplified → Traditional, Hong Kong standard.
    S2hk,
    /// Traditional, Hong Kong standard → Simplified.
    Hk2s,
    /// Simplified → Traditional, Taiwan standard with Taiwanese phrases.
    S2twp,
    /// Traditional, Taiwan standard with Taiwanese phrases → Simplified.
    Tw2sp,
    /// Traditional (OpenCC standard) → Taiwan standard.
    T2tw,
    /// Taiwan standard → Traditional (OpenCC standard).
    Tw2t,
    /// Traditional (OpenCC standard) → Hong Kong standard.
    T2hk,
    /// Hong Kong standard → Traditional (OpenCC standard).
    Hk2t,
    /// Traditional (Kyūjitai) → Japanese Shinjitai.
    T2jp,
    /// Japanese Shinjitai → Traditional (Kyūjitai).
    Jp2t,
}

impl Config {
    /// Every configuration, in OpenCC's order.
    pub const ALL: [Config; 14] = [
        Config::S2t,
        Config::T2s,
        Config::S2tw,
        Config::Tw2s,
        Config::S2hk,
        Config::Hk2s,
        Config::S2twp,
        Config::Tw2sp,
        Config::T2tw,
        Config::Tw2t,
        Config::T2hk,
        Config::Hk2t,
        Config::T2jp,
        Config::Jp2t,
    ];

    /// OpenCC's name for the configuration (`"s2hk"`).
    pub fn name(self) -> &'static str {
        match self {
            Config::S2t => "s2t",
            Config::T2s => "t2s",
            Config::S2tw => "s2tw",
            Config::Tw2s => "tw2s",
            Config::S2hk => "s2hk",
            Config::Hk2s => "hk2s",
            Config::S2twp => "s2twp",
            Config::Tw2sp => "tw2sp",
            Config::T2tw => "t2tw",
            Config::Tw2t => "tw2t",
            Config::T2hk => "t2hk",
            Config::Hk2t => "hk2t",
            Config::T2jp => "t2jp",
            Config::Jp2t => "jp2t",
        }
    }

    /// The dictionaries of the configuration, as OpenCC 1.1.6's
    /// `data/config/*.json` gives them.
    fn spec(self) -> Spec {
        use Dict::*;
        let (seg, chain): (Dict, &[&[Dict]]) = match self {
            Config::S2t => (STPhrases, &[&[STPhrases, STCharacters]]),
            Config::T2s => (TSPhrases, &[&[TSPhrases, TSCharacters]]),
            Config::S2tw => (STPhrases, &[&[STPhrases, STCharacters], &[TWVariants]]),
            Config::Tw2s => {
                (TSPhrases, &[&[TWVariantsRevPhrases, TWVariantsRev], &[TSPhrases, TSCharacters]])
            }
            Config::S2hk => (STPhrases, &[&[STPhrases, STCharacters], &[HKVariants]]),
            Config::Hk2s => {
                (TSPhrases, &[&[HKVariantsRevPhrases, HKVariantsRev], &[TSPhrases, TSCharacters]])
            }
            Config::S2twp => (STPhrases, &[&[STPhrases, STCharacters], &[TWPhrases], &[TWVariants]]),
            Config::Tw2sp => (
                TSPhrases,
                &[&[TWPhrasesRev, TWVariantsRevPhrases, TWVariantsRev], &[TSPhrases, TSCharacters]],
            ),
            Config::T2tw => (TWVariants, &[&[TWVariants]]),
            Config::Tw2t => (TWVariantsRevPhrases, &[&[TWVariantsRevPhrases, TWVariantsRev]]),
            Config::T2hk => (HKVariants, &[&[HKVariants]]),
            Config::Hk2t => (HKVariantsRevPhrases, &[&[HKVariantsRevPhrases, HKVariantsRev]]),
            Config::T2jp => (JPVariants, &[&[JPVariants]]),
            Config::Jp2t => {
                (JPShinjitaiPhrases, &[&[JPShinjitaiPhrases, JPShinjitaiCharacters, JPVariantsRev]])
            }
        };
        Spec { seg, chain }
    }
}

impl std::fmt::Display for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Config {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let s = s.trim_end_matches(".json").to_ascii_lowercase();
        Config::ALL.into_iter().find(|c| c.name() == s).ok_or_else(|| {
            let names: Vec<&str> = Config::ALL.iter().map(|c| c.name()).collect();
            format!("unknown conversion {s:?} (expected one of {})", names.join(", "))
        })
    }
}

struct Spec {
    seg: Dict,
    chain: &'static [&'static [Dict]],
}

/// OpenCC's dictionaries: the raw files and the ones its build generates
/// from them (merged or reversed).
#[allow(clippy::upper_case_acronyms)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Dict {
    STCharacters,
    STPhrases,
    TSCharacters,
    TSPhrases,
    TWVariants,
    TWVariantsRevPhrases,
    HKVariants,
    HKVariantsRevPhrases,
    JPVariants,
    JPShinjitaiCharacters,
    JPShinjitaiPhrases,
    TWPhrases,
    TWPhrasesRev,
    TWVariantsRev,
    HKVariantsRev,
    JPVariantsRev,
}

macro_rules! data {
    ($name:literal) => {
        include_str!(concat!("../data/opencc/", $name, ".txt"))
    };
}

/// One dictionary entry: a key and its candidates, best first.
type Entry = (&'static str, Vec<&'static str>);

/// Parses OpenCC's text format: `key<TAB>value value…` per line.
fn parse(text: &'static str) -> Vec<Entry> {
    text.lines()
        .filter_map(|line| {
            let (key, values) = line.split_once('\t')?;
            let values: Vec<&str> = values.trim_end_matches(['\r', '\n']).split(' ').collect();
            (!key.is_empty()).then_some((key, values))
        })
        .collect()
}

/// `merge.py`: concatenated, later duplicates win, sorted by key.
fn merge(parts: &[&'static str]) -> Vec<Entry> {
    let mut map: HashMap<&'static str, Vec<&'static str>> = HashMap::new();
    for part in parts {
        for (k, v) in parse(part) {
            map.insert(k, v);
        }
    }
    let mut entries: Vec<Entry> = map.into_iter().collect();
    entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
    entries
}

/// `reverse.py`: every value becomes a key whose candidates are the keys
/// that listed it, in input order.
fn reverse(entries: &[Entry]) -> Vec<Entry> {
    let mut map: HashMap<&'static str, Vec<&'static str>> = HashMap::new();
    for (k, values) in entries {
        for v in values {
            map.entry(v).or_default().push(k);
        }
    }
    let mut out: Vec<Entry> = map.into_iter().collect();
    out.sort_unstable_by(|a, b| a.0.cmp(b.0));
    out
}

impl Dict {
    pub(crate) fn entries(self) -> &'static [Entry] {
        static CACHE: LazyLock<Mutex<HashMap<Dict, &'static [Entry]>>> =
            LazyLock::new(|| Mutex::new(HashMap::new()));
        if let Some(e) = CACHE.lock().unwrap_or_else(|e| e.into_inner()).get(&self) {
            return e;
        }
        let entries: Vec<Entry> = match self {
            Dict::STCharacters => parse(data!("STCharacters")),
            Dict::STPhrases => parse(data!("STPhrases")),
            Dict::TSCharacters => parse(data!("TSCharacters")),
            Dict::TSPhrases => parse(data!("TSPhrases")),
            Dict::TWVariants => parse(data!("TWVariants")),
            Dict::TWVariantsRevPhrases => parse(data!("TWVariantsRevPhrases")),
            Dict::HKVariants => parse(data!("HKVariants")),
            Dict::HKVariantsRevPhrases => parse(data!("HKVariantsRevPhrases")),
            Dict::JPVariants => parse(data!("JPVariants")),
            Dict::JPShinjitaiCharacters => parse(data!("JPShinjitaiCharacters")),
            Dict::JPShinjitaiPhrases => parse(data!("JPShinjitaiPhrases")),
            Dict::TWPhrases => {
                merge(&[data!("TWPhrasesIT"), data!("TWPhrasesName"), data!("TWPhrasesOther")])
            }
            Dict::TWPhrasesRev => reverse(Dict::TWPhrases.entries()),
            Dict::TWVariantsRev => reverse(Dict::TWVariants.entries()),
            Dict::HKVariantsRev => reverse(Dict::HKVariants.entries()),
            Dict::JPVariantsRev => reverse(Dict::JPVariants.entries()),
        };
        let leaked: &'static [Entry] = Box::leak(entries.into_boxed_slice());
        CACHE.lock().unwrap_or_else(|e| e.into_inner()).entry(self).or_insert(leaked)
    }
}

/// Forward maximum matching over an ordered group of dictionaries.
pub(crate) struct Matcher {
    pma: CharwiseDoubleArrayAhoCorasick<u32>,
    /// `values[i]`: the replacement of pattern `i`; `from_first[i]`: whether
    /// it came from the group's first dictionary.
    values: Vec<&'static str>,
    from_first: Vec<bool>,
    /// All keys are single characters.
    charwise: bool,
}

impl std::fmt::Debug for Matcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Matcher").field("patterns", &self.values.len()).finish()
    }
}

impl Matcher {
    fn build(group: &[Dict]) -> Matcher {
        let mut patterns: Vec<(&'static str, u32)> = Vec::new();
        let mut values = Vec::new();
        let mut from_first = Vec::new();
        let mut earlier: HashSet<&'static str> = HashSet::new();
        let mut charwise = true;
        for (d, dict) in group.iter().enumerate() {
            let mut this: HashSet<&'static str> = HashSet::new();
            for (key, cands) in dict.entries() {
                // A key of a later dictionary that extends or repeats a key of
                // an earlier one can never win (see the module docs).
                let shadowed = d > 0
                    && key
                        .char_indices()
                        .map(|(i, c)| i + c.len_utf8())
                        .any(|end| earlier.contains(&key[..end]));
                if shadowed || !this.insert(key) {
                    continue;
                }
                charwise &= key.chars().count() == 1;
                patterns.push((key, values.len() as u32));
                values.push(cands.first().copied().unwrap_or(key));
                from_first.push(d == 0);
            }
            earlier.extend(this);
        }
        let pma = CharwiseDoubleArrayAhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .build_with_values(patterns)
            .unwrap_or_else(|e| panic!("OpenCC dictionary automaton: {e}"));
        Matcher { pma, values, from_first, charwise }
    }

    /// The shared matcher of a group, built on first use.
    pub(crate) fn of(group: &'static [Dict]) -> Arc<Matcher> {
        static CACHE: Cache<&'static [Dict], Matcher> = LazyLock::new(Default::default);
        cached(&CACHE, group, || Matcher::build(group))
    }

    /// Runs forward maximum matching over `text`, calling `on_match(start,
    /// end, value, from_first_dict)` for each match in order.
    #[inline]
    pub(crate) fn for_each(&self, text: &str, mut on_match: impl FnMut(usize, usize, &'static str, bool)) {
        for m in self.pma.leftmost_find_iter(text) {
            let i = m.value() as usize;
            on_match(m.start(), m.end(), self.values[i], self.from_first[i]);
        }
    }

    /// Converts `text`, borrowing it when nothing changes.
    pub(crate) fn convert<'a>(&self, text: &'a str) -> Cow<'a, str> {
        let mut edit = Edit::new(text);
        self.for_each(text, |s, e, v, _| edit.replace(s, e, v));
        edit.finish()
    }

    /// Converts each segment of `text` (given by its end offsets) on its
    /// own; returns the new text and the new segment ends.
    fn convert_segments(&self, text: &str, ends: &[usize]) -> (String, Vec<usize>) {
        let mut out = String::with_capacity(text.len() + text.len() / 8);
        let mut new_ends = Vec::with_capacity(ends.len());
        let mut start = 0;
        for &end in ends {
            out.push_str(&self.convert(&text[start..end]));
            new_ends.push(out.len());
            start = end;
        }
        (out, new_ends)
    }
}

/// A configuration ready to run.
#[derive(Debug)]
struct Chain {
    seg: Arc<Matcher>,
    steps: Vec<Arc<Matcher>>,
    /// The first step's group starts with the segmentation dictionary.
    fused: bool,
}

impl Chain {
    fn new(config: Config) -> Chain {
        let spec = config.spec();
        let seg_group: &'static [Dict] = match spec.seg {
            Dict::STPhrases => &[Dict::STPhrases],
            Dict::TSPhrases => &[Dict::TSPhrases],
            Dict::TWVariants => &[Dict::TWVariants],
            Dict::TWVariantsRevPhrases => &[Dict::TWVariantsRevPhrases],
            Dict::HKVariants => &[Dict::HKVariants],
            Dict::HKVariantsRevPhrases => &[Dict::HKVariantsRevPhrases],
            Dict::JPVariants => &[Dict::JPVariants],
            Dict::JPShinjitaiPhrases => &[Dict::JPShinjitaiPhrases],
            _ => unreachable!("not a segmentation dictionary of any configuration"),
        };
        Chain {
            seg: Matcher::of(seg_group),
            steps: spec.chain.iter().map(|g| Matcher::of(g)).collect(),
            fused: spec.chain.first().and_then(|g| g.first()) == Some(&spec.seg),
        }
    }

    fn convert<'a>(&self, text: &'a str) -> Cow<'a, str> {
        let Some((first, rest)) = self.steps.split_first() else { return Cow::Borrowed(text) };
        // Where segment boundaries can matter: a phrase step after the first.
        let needs_segments = rest.iter().any(|m| !m.charwise);
        if self.fused && !needs_segments {
            let mut out = first.convert(text);
            for step in rest {
                out = match step.convert(&out) {
                    Cow::Borrowed(_) => out,
                    Cow::Owned(s) => Cow::Owned(s),
                };
            }
            return out;
        }
        // The general case: segment, then convert segment by segment.
        let ends = self.segment(text);
        let (mut cur, mut ends) = first.convert_segments(text, &ends);
        for step in rest {
            if step.charwise {
                cur = step.convert(&cur).into_owned();
            } else {
                (cur, ends) = step.convert_segments(&cur, &ends);
            }
        }
        if cur == text { Cow::Borrowed(text) } else { Cow::Owned(cur) }
    }

    /// Segment end offsets: every match of the segmentation dictionary is a
    /// segment; the text between matches forms segments of its own.
    fn segment(&self, text: &str) -> Vec<usize> {
        let mut ends = Vec::new();
        let mut last = 0;
        self.seg.for_each(text, |s, e, _, _| {
            if s > last {
                ends.push(s);
            }
            ends.push(e);
            last = e;
        });
        if text.len() > last {
            ends.push(text.len());
        }
        ends
    }
}

/// Converts `text` with an OpenCC configuration, in pure Rust.
///
/// ```
/// use zh_clean::opencc::{convert, Config};
/// assert_eq!(convert(Config::S2hk, "虚伪叹息"), "虛偽嘆息");
/// assert_eq!(convert(Config::T2s, "頭髮"), "头发");
/// assert_eq!(convert(Config::S2twp, "鼠标和软件"), "滑鼠和軟體");
/// ```
pub fn convert(config: Config, text: &str) -> Cow<'_, str> {
    chain(config).convert(text)
}

fn chain(config: Config) -> Arc<Chain> {
    static CACHE: Cache<Config, Chain> = LazyLock::new(Default::default);
    cached(&CACHE, config, || Chain::new(config))
}

/// Values built once per key on first use, shared by every thread; a key
/// being built does not block the others.
type Cache<K, V> = LazyLock<Mutex<HashMap<K, Arc<OnceLock<Arc<V>>>>>>;

fn cached<K: std::hash::Hash + Eq, V>(cache: &Cache<K, V>, key: K, build: impl FnOnce() -> V) -> Arc<V> {
    let cell = cache.lock().unwrap_or_else(|e| e.into_inner()).entry(key).or_default().clone();
    cell.get_or_init(|| Arc::new(build())).clone()
}

/// Builds the automata of `config` now rather than on first use.
pub fn preload(config: Config) {
    let _ = chain(config);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_roundtrip() {
        for c in Config::ALL {
            assert_eq!(c.name().parse::<Config>(), Ok(c));
        }
        assert_eq!("S2HK.json".parse::<Config>(), Ok(Config::S2hk));
        assert!("s2x".parse::<Config>().is_err());
    }

    #[test]
    fn generated_dictionaries() {
        // TWVariantsRev reverses TWVariants; TWPhrases merges three files.
        let rev = Dict::TWVariantsRev.entries();
        assert!(rev.iter().any(|(k, v)| *k == "偽" && v.contains(&"僞")), "{:?}", &rev[..5]);
        assert!(Dict::TWPhrases.entries().iter().any(|(k, _)| *k == "鼠標"));
        assert!(Dict::TWPhrasesRev.entries().iter().any(|(k, _)| *k == "滑鼠"));
    }

    #[test]
    fn group_first_dictionary_wins() {
        // A later dictionary's key that extends an earlier one's is dropped.
        let m = Matcher::build(&[Dict::TWPhrasesRev, Dict::TWVariantsRevPhrases, Dict::TWVariantsRev]);
        let first: HashSet<&str> = Dict::TWPhrasesRev.entries().iter().map(|e| e.0).collect();
        let mut n = 0;
        m.for_each("滑鼠", |_, _, _, from_first| {
            assert!(from_first);
            n += 1;
        });
        assert_eq!(n, 1);
        assert!(first.contains("滑鼠"));
    }

    #[test]
    fn unchanged_text_is_borrowed() {
        assert!(matches!(convert(Config::T2hk, "香港 AI 產業"), Cow::Borrowed(_)));
        assert!(matches!(convert(Config::S2hk, "Latin only"), Cow::Borrowed(_)));
    }

    #[test]
    fn segment_boundaries_hold_for_later_phrase_steps() {
        // s2twp converts 鼠标 (a segment) to 滑鼠 through TWPhrases.
        assert_eq!(convert(Config::S2twp, "鼠标"), "滑鼠");
        assert_eq!(convert(Config::Tw2sp, "滑鼠"), "鼠标");
    }
}
