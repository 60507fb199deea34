//! A pure-Rust implementation of OpenCC's conversions.
//!
//! [OpenCC](https://github.com/BYVoid/OpenCC) converts between Simplified and
//! Traditional Chinese and between regional standards with dictionaries and
//! a small algorithm. This module reimplements the algorithm over OpenCC's
//! own dictionaries (release 1.4.2, Apache-2.0, vendored in `data/opencc/`),
//! so that the result is the same as the C++ library's — it passes every
//! official test case of the release (`tests/opencc/testcases.json`) —
//! without linking it.
//!
//! # The algorithm
//!
//! A *configuration* (`s2hk`, `t2s`, …, `data/opencc/config/*.json`) has
//! three parts, run in this order:
//!
//! 1. **Normalization**: CJK compatibility ideographs (`U+F900`…) become
//!    their unified ideographs, one character at a time.
//! 2. **Segmentation** (only the configurations whose input is ambiguous
//!    without phrase boundaries: `s2tw`, `s2hk`, `s2twp`, `s2hkp` and the
//!    reverse `…2s` ones): the text is cut by forward maximum matching
//!    against a segmentation dictionary — at each position the longest key
//!    that starts there is a segment; the characters no key starts at are
//!    gathered into segments of their own. Without segmentation the whole
//!    text is one segment.
//! 3. **Conversion chain**: each step rewrites each segment independently,
//!    again by forward maximum matching: the longest key at a position is
//!    replaced by its first value; a character no key starts at is copied.
//!    The next step sees the previous step's output, segment by segment.
//!
//! A step's dictionary is a *group*, and groups nest. OpenCC 1.4 has two
//! kinds:
//!
//! * `short_circuit`: at each position the first member that has any key
//!   there wins, even when a later member has a longer one
//!   (`TSPhrases`, then `TSCharactersExt`, then `TSCharacters`).
//! * `union`: the longest key of any member wins; between equal keys the
//!   earlier member's value (`STPhrases` ∪ the phrases generated from the
//!   regional phrase tables).
//!
//! Every configuration of the release is a short-circuit group of *levels*,
//! each level a single dictionary or a union of dictionaries; [`Config`]
//! spells them out (a unit test checks them against the vendored JSON).
//!
//! Two more rules of 1.4 apply where no key matches: an ideographic
//! description sequence (`⿰扌发`, an operator `U+2FF0`–`U+2FFF` followed by
//! its operands) is copied whole, never converted inside; and the text is
//! valid UTF-8 here, so OpenCC's byte-level recovery never arises.
//!
//! # How it runs fast
//!
//! Forward maximum matching is exactly a leftmost-longest search, which a
//! double-array Aho–Corasick automaton ([`daachorse`]) runs in one pass. A
//! group becomes one automaton: a union level contributes its keys (the
//! first dictionary's value for a repeated key), and the short-circuit rule
//! is folded in when the automaton is built — a key of a later level that
//! extends a key of an earlier level (or repeats it) is dropped, because
//! wherever it matches, the earlier level matches too and wins. What
//! remains is a plain leftmost-longest search.
//!
//! Segments are kept as a list of end offsets and a step runs over the
//! whole text at once; a match that would cross a segment end is rare, and
//! only then is the rest of that segment searched on its own. When the first
//! step's group starts with the segmentation dictionary, the segments are
//! exactly that step's matches from its first level, so both run as one
//! search; a step whose keys are single characters ignores segments. The
//! normalization and the description-sequence rule cost one byte scan when
//! the text has no compatibility ideograph and no description operator.
//!
//! # Beyond OpenCC: variation selectors
//!
//! A variation selector (`U+FE00`–`U+FE0F`, `U+E0100`–`U+E01EF`) belongs to
//! the character before it. OpenCC treats it as a character of its own, so
//! that it breaks phrases (`头󠄀发` gives `頭󠄀發`) and stays behind when its
//! base character changes. Here, text with selectors is converted without
//! them, each converted character is traced back to the one it came from,
//! and a selector is put back after the (last) character its base became.
//! So `头󠄀发` gives `頭󠄀髮` (the phrase matches), `中󠄀` stays `中󠄀`, and `t2s`
//! turns `邊󠄁` into `边󠄁`. A sequence that is not registered for the new
//! character displays as the character alone (Unicode ignores the selector
//! then), so keeping it costs nothing, while dropping it would delete a
//! character the earlier stages saw: punctuation and spacing decided next
//! to the selector, and a second cleaning would decide without it. This is
//! the only place where the output differs from OpenCC 1.4.2's, which would
//! give `頭󠄀發` for the phrase.
//!
//! Automata and generated dictionaries are built on first use (tens of
//! milliseconds for the largest) and shared by every converter in the
//! process.

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
    /// Simplified → Traditional, Hong Kong standard with Hong Kong phrases.
    S2hkp,
    /// Traditional, Hong Kong standard with Hong Kong phrases → Simplified.
    Hk2sp,
}

impl Config {
    /// Every configuration, in OpenCC's order (the two phrase variants of
    /// Hong Kong, new in OpenCC 1.3, last).
    pub const ALL: [Config; 16] = [
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
        Config::S2hkp,
        Config::Hk2sp,
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
            Config::S2hkp => "s2hkp",
            Config::Hk2sp => "hk2sp",
        }
    }

    /// The dictionaries of the configuration, as OpenCC 1.4.2's
    /// `data/config/*.json` gives them (every one also normalizes with
    /// `CJK_Compatibility_Ideographs`).
    fn spec(self) -> Spec {
        use Dict::*;
        /// `STPhrases` ∪ the phrases generated from the regional tables.
        const ST: Level = &[STPhrases, STPhrasesGenerated];
        const TS: Level = &[TSPhrases];
        const S2T: Group = &[ST, &[STCharacters]];
        const T2S: Group = &[TS, &[TSCharactersExt], &[TSCharacters]];
        const TW_REV: Group = &[&[TWVariantsRevPhrases], &[TWVariantsRev]];
        const HK_REV: Group = &[&[HKVariantsRevPhrases], &[HKVariantsRev]];
        const TW: Group = &[&[TWVariantsPhrases], &[TWVariants]];
        const HK: Group = &[&[HKVariantsPhrases], &[HKVariants]];
        let (seg, chain): (Option<Level>, &'static [Group]) = match self {
            Config::S2t => (None, &[S2T]),
            Config::T2s => (None, &[T2S]),
            Config::S2tw => (Some(ST), &[S2T, TW]),
            Config::Tw2s => (Some(TS), &[TW_REV, T2S]),
            Config::S2hk => (Some(ST), &[S2T, HK]),
            Config::Hk2s => (Some(TS), &[HK_REV, T2S]),
            Config::S2twp => (Some(ST), &[S2T, &[&[TWPhrases], &[TWVariantsPhrases], &[TWVariants]]]),
            Config::Tw2sp => {
                (Some(TS), &[&[&[TWPhrasesRev], &[TWVariantsRevPhrases], &[TWVariantsRev]], T2S])
            }
            Config::T2tw => (None, &[TW]),
            Config::Tw2t => (None, &[TW_REV]),
            Config::T2hk => (None, &[HK]),
            Config::Hk2t => (None, &[HK_REV]),
            Config::T2jp => (None, &[&[&[JPShinjitaiCharactersRev]]]),
            Config::Jp2t => (None, &[&[&[JPShinjitaiPhrases], &[JPShinjitaiCharacters]]]),
            Config::S2hkp => (Some(ST), &[S2T, &[&[HKPhrases], &[HKVariantsPhrases], &[HKVariants]]]),
            Config::Hk2sp => {
                (Some(TS), &[&[&[HKPhrasesRev], &[HKVariantsRevPhrases], &[HKVariantsRev]], T2S])
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
    type Err = crate::ParseError;
    fn from_str(s: &str) -> Result<Self, crate::ParseError> {
        let s = s.trim_end_matches(".json").to_ascii_lowercase();
        Config::ALL.into_iter().find(|c| c.name() == s).ok_or_else(|| {
            let names: Vec<&str> = Config::ALL.iter().map(|c| c.name()).collect();
            crate::ParseError::new("conversion", &s, format!("one of {}", names.join(", ")))
        })
    }
}

/// A union of dictionaries: the longest key of any wins.
type Level = &'static [Dict];
/// A short-circuit group of levels: the first level with a key wins.
type Group = &'static [Level];

struct Spec {
    /// The segmentation dictionary, if the configuration segments.
    seg: Option<Level>,
    /// The conversion steps.
    chain: &'static [Group],
}

/// The normalization every configuration of the release starts with.
const NORMALIZATION: Group = &[&[Dict::CJKCompatibilityIdeographs]];

/// OpenCC's dictionaries: the files of `data/opencc/` and the ones OpenCC's
/// build generates from them.
#[allow(clippy::upper_case_acronyms)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Dict {
    CJKCompatibilityIdeographs,
    STCharacters,
    STPhrases,
    TSCharacters,
    TSPhrases,
    TWPhrases,
    TWPhrasesRev,
    TWVariantsPhrases,
    TWVariants,
    TWVariantsRevPhrases,
    HKVariantsPhrases,
    HKVariants,
    HKVariantsRevPhrases,
    HKPhrases,
    HKPhrasesRev,
    JPShinjitaiCharacters,
    JPShinjitaiPhrases,
    /// `extract_tofu_risk.py`: the mappings of `TSCharacters` marked
    /// `# @tofu-risk:`, without their identity candidate.
    TSCharactersExt,
    /// `generate_st_phrases_from_regional_phrases.py`
    /// (`STPhrases_GeneratedFromRegionalPhrases`): the keys of `HKPhrases`
    /// and `TWPhrases` turned Simplified by `t2s`, when that is three
    /// characters or more, mapped back to the key.
    STPhrasesGenerated,
    /// `reverse.py` of `TWVariants`.
    TWVariantsRev,
    /// `reverse.py` of `HKVariants`.
    HKVariantsRev,
    /// `reverse.py` of `JPShinjitaiCharacters`.
    JPShinjitaiCharactersRev,
}

macro_rules! data {
    ($name:literal) => {
        include_str!(concat!("../data/opencc/", $name, ".txt"))
    };
}

/// One dictionary entry: a key and its candidates, best first.
pub(crate) type Entry = (&'static str, Vec<&'static str>);

/// Parses OpenCC's text format: `key<TAB>value value…` per line; lines
/// starting with `#` are comments.
fn parse(text: &'static str) -> Vec<Entry> {
    text.lines().filter_map(parse_line).collect()
}

fn parse_line(line: &'static str) -> Option<Entry> {
    if line.starts_with('#') {
        return None;
    }
    let (key, values) = line.trim_end_matches('\r').split_once('\t')?;
    (!key.is_empty()).then(|| (key, values.split(' ').collect()))
}

/// `extract_tofu_risk.py`: each mapping that follows a `# @tofu-risk:`
/// line, without its first candidate when that is the key itself.
fn tofu_risk(text: &'static str) -> Vec<Entry> {
    let mut out = Vec::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if !line.starts_with("# @tofu-risk:") {
            continue;
        }
        let Some((key, mut values)) = lines.next().and_then(parse_line) else { continue };
        if values.first() == Some(&key) {
            values.remove(0);
        }
        if !values.is_empty() {
            out.push((key, values));
        }
    }
    out
}

/// `reverse.py`: every value becomes a key whose candidates are the keys
/// that listed it, in file order; a `# @reverse-prefer: key [value]` line
/// moves `value` (or `key` itself) to the front of `key`'s candidates.
fn reverse(text: &'static str, entries: &[Entry]) -> Vec<Entry> {
    let mut map: HashMap<&'static str, Vec<&'static str>> = HashMap::new();
    for (k, values) in entries {
        for v in values {
            map.entry(v).or_default().push(k);
        }
    }
    for line in text.lines() {
        let Some(rest) = line.strip_prefix("# @reverse-prefer:") else { continue };
        let fields: Vec<&str> = rest.split_whitespace().collect();
        let (Some(key), Some(preferred)) = (fields.first(), fields.last()) else { continue };
        if let Some(values) = map.get_mut(key)
            && let Some(i) = values.iter().position(|v| v == preferred)
        {
            let v = values.remove(i);
            values.insert(0, v);
        }
    }
    let mut out: Vec<Entry> = map.into_iter().collect();
    out.sort_unstable_by(|a, b| a.0.cmp(b.0));
    out
}

/// `generate_st_phrases_from_regional_phrases.py`: the regional phrase keys
/// in Simplified (by `t2s`), three characters or longer, each mapped to the
/// first key that gives it.
fn generated_st_phrases() -> Vec<Entry> {
    let mut order: Vec<&'static str> = Vec::new();
    let mut map: HashMap<&'static str, &'static str> = HashMap::new();
    for dict in [Dict::HKPhrases, Dict::TWPhrases] {
        for (key, _) in dict.entries() {
            let simplified = convert(Config::T2s, key);
            if simplified.chars().count() < 3 {
                continue;
            }
            let simplified: &'static str = match simplified {
                Cow::Borrowed(s) => s,
                Cow::Owned(s) => Box::leak(s.into_boxed_str()),
            };
            map.entry(simplified).or_insert_with(|| {
                order.push(simplified);
                key
            });
        }
    }
    let mut out: Vec<Entry> = order.into_iter().map(|k| (k, vec![map[k]])).collect();
    out.sort_unstable_by(|a, b| a.0.cmp(b.0));
    out
}

impl Dict {
    /// The entries of the dictionary, in file order for the vendored files
    /// and sorted by key for the generated ones.
    pub(crate) fn entries(self) -> &'static [Entry] {
        static CACHE: LazyLock<Mutex<HashMap<Dict, &'static [Entry]>>> =
            LazyLock::new(|| Mutex::new(HashMap::new()));
        if let Some(e) = CACHE.lock().unwrap_or_else(|e| e.into_inner()).get(&self) {
            return e;
        }
        // Built without the lock: a generated dictionary asks for others.
        let entries: Vec<Entry> = match self {
            Dict::CJKCompatibilityIdeographs => parse(data!("CJK_Compatibility_Ideographs")),
            Dict::STCharacters => parse(data!("STCharacters")),
            Dict::STPhrases => parse(data!("STPhrases")),
            Dict::TSCharacters => parse(data!("TSCharacters")),
            Dict::TSPhrases => parse(data!("TSPhrases")),
            Dict::TWPhrases => parse(data!("TWPhrases")),
            Dict::TWPhrasesRev => parse(data!("TWPhrasesRev")),
            Dict::TWVariantsPhrases => parse(data!("TWVariantsPhrases")),
            Dict::TWVariants => parse(data!("TWVariants")),
            Dict::TWVariantsRevPhrases => parse(data!("TWVariantsRevPhrases")),
            Dict::HKVariantsPhrases => parse(data!("HKVariantsPhrases")),
            Dict::HKVariants => parse(data!("HKVariants")),
            Dict::HKVariantsRevPhrases => parse(data!("HKVariantsRevPhrases")),
            Dict::HKPhrases => parse(data!("HKPhrases")),
            Dict::HKPhrasesRev => parse(data!("HKPhrasesRev")),
            Dict::JPShinjitaiCharacters => parse(data!("JPShinjitaiCharacters")),
            Dict::JPShinjitaiPhrases => parse(data!("JPShinjitaiPhrases")),
            Dict::TSCharactersExt => tofu_risk(data!("TSCharacters")),
            Dict::STPhrasesGenerated => generated_st_phrases(),
            Dict::TWVariantsRev => reverse(data!("TWVariants"), Dict::TWVariants.entries()),
            Dict::HKVariantsRev => reverse(data!("HKVariants"), Dict::HKVariants.entries()),
            Dict::JPShinjitaiCharactersRev => {
                reverse(data!("JPShinjitaiCharacters"), Dict::JPShinjitaiCharacters.entries())
            }
        };
        let leaked: &'static [Entry] = Box::leak(entries.into_boxed_slice());
        CACHE.lock().unwrap_or_else(|e| e.into_inner()).entry(self).or_insert(leaked)
    }
}

/// Forward maximum matching over a short-circuit group of levels.
pub(crate) struct Matcher {
    pma: CharwiseDoubleArrayAhoCorasick<u32>,
    /// `values[i]`: the replacement of pattern `i`; `from_first[i]`: whether
    /// it came from the group's first level.
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
    fn build(group: &[Level]) -> Matcher {
        let mut patterns: Vec<(&'static str, u32)> = Vec::new();
        let mut values = Vec::new();
        let mut from_first = Vec::new();
        let mut earlier: HashSet<&'static str> = HashSet::new();
        let mut charwise = true;
        for (d, level) in group.iter().enumerate() {
            // Keys of this level; a repeated key keeps its first value.
            let mut this: HashSet<&'static str> = HashSet::new();
            for dict in level.iter() {
                for (key, cands) in dict.entries() {
                    // A key of a later level that extends or repeats a key of
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
    pub(crate) fn of(group: Group) -> Arc<Matcher> {
        static CACHE: Cache<Group, Matcher> = LazyLock::new(Default::default);
        cached(&CACHE, group, || Matcher::build(group))
    }

    /// The matches of forward maximum matching over `text`, in order:
    /// `(start, end, value, from_first_level)`.
    #[inline]
    fn matches<'t>(&'t self, text: &'t str) -> impl Iterator<Item = (usize, usize, &'static str, bool)> + 't {
        self.pma.leftmost_find_iter(text).map(|m| {
            let i = m.value() as usize;
            (m.start(), m.end(), self.values[i], self.from_first[i])
        })
    }

    /// Converts `text` as one segment, borrowing it when nothing changes.
    pub(crate) fn convert<'a>(&self, text: &'a str) -> Cow<'a, str> {
        let mut edit = Edit::new(text);
        for (s, e, v, _) in self.matches(text) {
            edit.replace(s, e, v);
        }
        edit.finish()
    }

    /// Appends the conversion of `text`, one segment, to `out`.
    fn convert_into(&self, text: &str, out: &mut String) {
        let mut copied = 0;
        for (s, e, v, _) in self.matches(text) {
            out.push_str(&text[copied..s]);
            out.push_str(v);
            copied = e;
        }
        out.push_str(&text[copied..]);
    }

    /// Converts each segment of `text` (given by its end offsets, the last
    /// one `text.len()`) on its own; returns the new text and, when asked,
    /// the new segment ends.
    ///
    /// The whole text is searched at once; only a match that crosses a
    /// segment end sends the rest of its segment to a search of its own.
    fn convert_segments(&self, text: &str, ends: &[usize], track: bool) -> (String, Vec<usize>) {
        let mut out = String::with_capacity(text.len() + text.len() / 8);
        let mut new_ends = Vec::with_capacity(if track { ends.len() } else { 0 });
        let mut seg = 0;
        let mut copied = 0;
        let mut pos = 0;
        'search: while pos < text.len() {
            for (s, e, v, _) in self.matches(&text[pos..]) {
                let (s, e) = (pos + s, pos + e);
                while ends[seg] <= s {
                    out.push_str(&text[copied..ends[seg]]);
                    copied = ends[seg];
                    if track {
                        new_ends.push(out.len());
                    }
                    seg += 1;
                }
                out.push_str(&text[copied..s]);
                if e <= ends[seg] {
                    out.push_str(v);
                    copied = e;
                } else {
                    self.convert_into(&text[s..ends[seg]], &mut out);
                    copied = ends[seg];
                    if track {
                        new_ends.push(out.len());
                    }
                    seg += 1;
                    pos = copied;
                    continue 'search;
                }
            }
            break;
        }
        while seg < ends.len() {
            out.push_str(&text[copied..ends[seg]]);
            copied = ends[seg];
            if track {
                new_ends.push(out.len());
            }
            seg += 1;
        }
        (out, new_ends)
    }

    /// Converts `text` as one segment; returns the new text and the
    /// segments the first level's matches make (each match, and each run
    /// between matches).
    fn convert_fused(&self, text: &str) -> (String, Vec<usize>) {
        let mut out = String::with_capacity(text.len() + text.len() / 8);
        let mut ends = Vec::new();
        let mut copied = 0;
        let mut boundary = 0;
        for (s, e, v, first) in self.matches(text) {
            if first && s > boundary {
                out.push_str(&text[copied..s]);
                copied = s;
                ends.push(out.len());
            }
            out.push_str(&text[copied..s]);
            out.push_str(v);
            copied = e;
            if first {
                ends.push(out.len());
                boundary = e;
            }
        }
        out.push_str(&text[copied..]);
        if text.len() > boundary {
            ends.push(out.len());
        }
        (out, ends)
    }

    /// Like [`Matcher::convert_segments`], one segment at a time, also
    /// mapping `origin` (for each character of `text`, the input character
    /// it comes from, or [`NO_ORIGIN`]) to the output: a match that
    /// replaces as many characters as it reads keeps their origins in
    /// order; any other match gives its characters no origin.
    fn convert_traced(&self, text: &str, ends: &[usize], origin: &[u32]) -> (String, Vec<u32>, Vec<usize>) {
        let mut out = String::with_capacity(text.len());
        let mut new_origin = Vec::with_capacity(origin.len());
        let mut new_ends = Vec::with_capacity(ends.len());
        let mut ci = 0;
        let mut start = 0;
        let copy = |from: &str, ci: &mut usize, out: &mut String, new_origin: &mut Vec<u32>| {
            for c in from.chars() {
                out.push(c);
                new_origin.push(origin[*ci]);
                *ci += 1;
            }
        };
        for &end in ends {
            let segment = &text[start..end];
            let mut copied = 0;
            for (s, e, v, _) in self.matches(segment) {
                copy(&segment[copied..s], &mut ci, &mut out, &mut new_origin);
                let key_chars = segment[s..e].chars().count();
                let same = v.chars().count() == key_chars;
                for (j, c) in v.chars().enumerate() {
                    out.push(c);
                    new_origin.push(if same { origin[ci + j] } else { NO_ORIGIN });
                }
                ci += key_chars;
                copied = e;
            }
            copy(&segment[copied..], &mut ci, &mut out, &mut new_origin);
            new_ends.push(out.len());
            start = end;
        }
        (out, new_origin, new_ends)
    }
}

/// No input character: see [`Matcher::convert_traced`].
const NO_ORIGIN: u32 = u32::MAX;

/// A configuration ready to run.
#[derive(Debug)]
struct Chain {
    normalize: Arc<Matcher>,
    seg: Option<Arc<Matcher>>,
    steps: Vec<Arc<Matcher>>,
    /// The first step's group starts with the segmentation dictionary.
    fused: bool,
}

impl Chain {
    fn new(config: Config) -> Chain {
        let spec = config.spec();
        // The segmentation dictionary as a group of one level, with a
        // 'static address for the cache.
        static SEG_GROUPS: LazyLock<Mutex<HashMap<Level, Group>>> = LazyLock::new(Default::default);
        let seg = spec.seg.map(|level| {
            let group = *SEG_GROUPS
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .entry(level)
                .or_insert_with(|| Box::leak(Box::new([level])));
            Matcher::of(group)
        });
        Chain {
            normalize: Matcher::of(NORMALIZATION),
            seg,
            steps: spec.chain.iter().map(|g| Matcher::of(g)).collect(),
            fused: spec.seg.is_some() && spec.chain.first().and_then(|g| g.first()) == spec.seg.as_ref(),
        }
    }

    fn convert<'a>(&self, text: &'a str) -> Cow<'a, str> {
        let scan = Scan::of(text);
        if scan.selectors {
            let out = self.convert_with_selectors(text);
            return if out == text { Cow::Borrowed(text) } else { Cow::Owned(out) };
        }
        if !scan.descriptions {
            return self.convert_piece(text);
        }
        let mut edit = Edit::new(text);
        let mut start = 0;
        for (s, e) in descriptions(text) {
            if s > start {
                edit.replace(start, s, &self.convert_piece(&text[start..s]));
            }
            start = e;
        }
        if text.len() > start {
            edit.replace(start, text.len(), &self.convert_piece(&text[start..]));
        }
        edit.finish()
    }

    /// Converts text without ideographic description sequences.
    fn convert_piece<'a>(&self, text: &'a str) -> Cow<'a, str> {
        match self.normalize_piece(text) {
            Cow::Borrowed(t) => self.convert_normalized(t),
            Cow::Owned(t) => {
                let out = self.convert_normalized(&t).into_owned();
                if out == text { Cow::Borrowed(text) } else { Cow::Owned(out) }
            }
        }
    }

    fn normalize_piece<'a>(&self, text: &'a str) -> Cow<'a, str> {
        if Scan::of(text).compatibility { self.normalize.convert(text) } else { Cow::Borrowed(text) }
    }

    fn convert_normalized<'a>(&self, text: &'a str) -> Cow<'a, str> {
        let Some((first, rest)) = self.steps.split_first() else { return Cow::Borrowed(text) };
        let Some(seg) = &self.seg else {
            // One segment: every step runs over the whole text.
            let mut out = first.convert(text);
            for step in rest {
                if let Cow::Owned(s) = step.convert(&out) {
                    out = Cow::Owned(s);
                }
            }
            return out;
        };
        // Segment ends are needed as long as a later step has phrases.
        let needed_after = |i: usize| rest[i..].iter().any(|m| !m.charwise);
        let (mut cur, mut ends) = if self.fused {
            first.convert_fused(text)
        } else {
            let ends = segment(seg, text);
            first.convert_segments(text, &ends, needed_after(0))
        };
        for (i, step) in rest.iter().enumerate() {
            if step.charwise {
                if needed_after(i + 1) {
                    (cur, ends) = step.convert_segments(&cur, &ends, true);
                } else if let Cow::Owned(s) = step.convert(&cur) {
                    cur = s;
                }
            } else {
                (cur, ends) = step.convert_segments(&cur, &ends, needed_after(i + 1));
            }
        }
        if cur == text { Cow::Borrowed(text) } else { Cow::Owned(cur) }
    }

    /// Converts `text` one segment at a time, the way OpenCC does, and
    /// traces every output character back to an input character; see
    /// [`Matcher::convert_traced`].
    fn convert_traced(&self, text: &str) -> (String, Vec<u32>) {
        let mut out = String::with_capacity(text.len());
        let mut origin = Vec::new();
        let mut base = 0u32;
        let mut start = 0;
        let piece = |p: &str, description: bool, out: &mut String, origin: &mut Vec<u32>, base: &mut u32| {
            let n = p.chars().count() as u32;
            let identity: Vec<u32> = (*base..*base + n).collect();
            *base += n;
            if description {
                out.push_str(p);
                origin.extend(identity);
                return;
            }
            let (mut cur, mut org, _) = self.normalize.convert_traced(p, &[p.len()], &identity);
            let mut ends = match &self.seg {
                Some(seg) => segment(seg, &cur),
                None if cur.is_empty() => Vec::new(),
                None => vec![cur.len()],
            };
            for step in &self.steps {
                (cur, org, ends) = step.convert_traced(&cur, &ends, &org);
            }
            out.push_str(&cur);
            origin.extend(org);
        };
        for (s, e) in descriptions(text) {
            if s > start {
                piece(&text[start..s], false, &mut out, &mut origin, &mut base);
            }
            piece(&text[s..e], true, &mut out, &mut origin, &mut base);
            start = e;
        }
        if text.len() > start {
            piece(&text[start..], false, &mut out, &mut origin, &mut base);
        }
        (out, origin)
    }

    /// Converts text with variation selectors: converted without them, and
    /// each put back after the last character its base character became.
    /// The selectors of characters that a phrase of another length replaced
    /// (their output has no origin) follow the whole phrase; none is lost
    /// and their order is kept.
    fn convert_with_selectors(&self, text: &str) -> String {
        let mut bases = String::with_capacity(text.len());
        let mut n_bases = 0usize;
        // (base character index, byte range of its selectors in `text`), in
        // text order.
        let mut selectors: Vec<(usize, (usize, usize))> = Vec::new();
        let mut leading = 0;
        for (i, c) in text.char_indices() {
            if is_variation_selector(c) {
                let end = i + c.len_utf8();
                match n_bases.checked_sub(1) {
                    None => leading = end,
                    Some(b) => match selectors.last_mut() {
                        Some((last, range)) if *last == b => range.1 = end,
                        _ => selectors.push((b, (i, end))),
                    },
                }
            } else {
                bases.push(c);
                n_bases += 1;
            }
        }
        let (converted, origin) = self.convert_traced(&bases);
        let mut out = String::with_capacity(text.len());
        out.push_str(&text[..leading]);
        let mut pending = selectors.iter().peekable();
        let mut chars = converted.chars().zip(origin.iter().copied()).peekable();
        while let Some((c, o)) = chars.next() {
            if o != NO_ORIGIN {
                // Selectors of earlier bases not placed yet (a phrase of
                // another length replaced them) go before this character.
                while let Some(&(_, (s, e))) = pending.next_if(|&&(b, _)| b < o as usize) {
                    out.push_str(&text[s..e]);
                }
            }
            out.push(c);
            // A base that became several characters gets its selectors once,
            // after the last of them.
            let last_of_base = chars.peek().is_none_or(|&(_, next)| next != o);
            if o != NO_ORIGIN && last_of_base {
                while let Some(&(_, (s, e))) = pending.next_if(|&&(b, _)| b == o as usize) {
                    out.push_str(&text[s..e]);
                }
            }
        }
        for &(_, (s, e)) in pending {
            out.push_str(&text[s..e]);
        }
        out
    }
}

/// Segment end offsets: every match of the segmentation dictionary is a
/// segment; the text between matches forms segments of its own.
fn segment(seg: &Matcher, text: &str) -> Vec<usize> {
    let mut ends = Vec::new();
    let mut last = 0;
    for (s, e, _, _) in seg.matches(text) {
        if s > last {
            ends.push(s);
        }
        ends.push(e);
        last = e;
    }
    if text.len() > last {
        ends.push(text.len());
    }
    ends
}

/// What a text contains that the plain search does not handle.
#[derive(Debug, Default, Clone, Copy)]
struct Scan {
    /// CJK compatibility ideographs (`U+F900`–`U+FAFF`, `U+2F800`–`U+2FA1F`).
    compatibility: bool,
    /// Ideographic description operators (`U+2FF0`–`U+2FFF`).
    descriptions: bool,
    /// Variation selectors (`U+FE00`–`U+FE0F`, `U+E0100`–`U+E01EF`).
    selectors: bool,
}

impl Scan {
    /// One pass over the lead bytes of the three ranges' encodings.
    fn of(text: &str) -> Scan {
        let b = text.as_bytes();
        let at = |i: usize| b.get(i).copied().unwrap_or(0);
        let mut scan = Scan::default();
        for i in memchr::memchr3_iter(0xE2, 0xEF, 0xF0, b) {
            match (b[i], at(i + 1)) {
                (0xE2, 0xBF) if at(i + 2) >= 0xB0 => scan.descriptions = true,
                (0xEF, 0xA4..=0xAB) => scan.compatibility = true,
                (0xEF, 0xB8) if at(i + 2) <= 0x8F => scan.selectors = true,
                (0xF0, 0xAF) if matches!(at(i + 2), 0xA0..=0xA8) => scan.compatibility = true,
                _ => {}
            }
        }
        if !scan.selectors {
            scan.selectors =
                memchr::memchr_iter(0xF3, b).any(|i| at(i + 1) == 0xA0 && matches!(at(i + 2), 0x84..=0x87));
        }
        scan
    }
}

fn is_variation_selector(c: char) -> bool {
    matches!(c, '\u{FE00}'..='\u{FE0F}' | '\u{E0100}'..='\u{E01EF}')
}

/// How many operands an ideographic description operator takes (0: not
/// one), as OpenCC 1.4.2's `UTF8Util` counts them.
fn description_arity(c: char) -> usize {
    match c {
        '\u{2FF2}' | '\u{2FF3}' => 3,
        '\u{2FFE}' | '\u{2FFF}' => 1,
        '\u{2FF0}'..='\u{2FFD}' => 2,
        _ => 0,
    }
}

/// The byte length of the complete ideographic description sequence that
/// starts `text`, or 0. OpenCC's limits: 16 levels, 64 characters.
fn description_len(text: &str) -> usize {
    fn consume(text: &str, depth: usize, count: &mut usize) -> Option<usize> {
        if depth == 0 || *count >= 64 {
            return None;
        }
        let c = text.chars().next()?;
        *count += 1;
        let mut len = c.len_utf8();
        // A variation selector goes with the character before it: the
        // converter finds descriptions in text without them (see
        // `Chain::convert_with_selectors`), and so must every caller.
        len +=
            text[len..].chars().take_while(|&s| is_variation_selector(s)).map(char::len_utf8).sum::<usize>();
        for _ in 0..description_arity(c) {
            len += consume(&text[len..], depth - 1, count)?;
        }
        Some(len)
    }
    match text.chars().next() {
        Some(c) if description_arity(c) > 0 => consume(text, 16, &mut 0).unwrap_or(0),
        _ => 0,
    }
}

/// The ideographic description sequences of `text`, as byte ranges, found
/// the way OpenCC's left-to-right scan meets them (no dictionary key
/// contains an operator, so no match hides one).
pub(crate) fn descriptions(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(off) = text[i..].find(|c| description_arity(c) > 0) {
        let s = i + off;
        let len = description_len(&text[s..]);
        if len > 0 {
            out.push((s, s + len));
            i = s + len;
        } else {
            i = s + text[s..].chars().next().map_or(1, char::len_utf8);
        }
    }
    out
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

/// Converts `text` one segment at a time, without the whole-text search
/// and the shortcuts of [`convert`]: the reference the fast path is tested
/// against. Variation selectors are left to OpenCC's rules.
#[doc(hidden)]
pub fn convert_reference(config: Config, text: &str) -> String {
    chain(config).convert_traced(text).0
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

    /// The dictionary tree of a vendored configuration file, in the
    /// notation of [`Config::spec`]: levels of a short-circuit group.
    fn json_group(v: &serde_json::Value) -> Vec<Vec<String>> {
        let file = |v: &serde_json::Value| v["file"].as_str().unwrap().trim_end_matches(".ocd2").to_owned();
        if v["type"] != "group" {
            return vec![vec![file(v)]];
        }
        let dicts = v["dicts"].as_array().unwrap();
        if v["match_policy"] == "union" {
            return vec![dicts.iter().map(file).collect()];
        }
        dicts.iter().flat_map(json_group).collect()
    }

    fn name(d: Dict) -> String {
        match d {
            Dict::CJKCompatibilityIdeographs => "CJK_Compatibility_Ideographs".into(),
            Dict::STPhrasesGenerated => "STPhrases_GeneratedFromRegionalPhrases".into(),
            d => format!("{d:?}"),
        }
    }

    #[test]
    fn specs_match_the_vendored_configurations() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/opencc/config");
        let files = std::fs::read_dir(&dir).unwrap().count();
        assert_eq!(files, Config::ALL.len(), "a configuration was added or removed");
        fn levels(g: &[Level]) -> Vec<Vec<String>> {
            g.iter().map(|l| l.iter().map(|&d| name(d)).collect()).collect()
        }
        for config in Config::ALL {
            let text = std::fs::read_to_string(dir.join(format!("{config}.json"))).unwrap();
            let json: serde_json::Value = serde_json::from_str(&text).unwrap();
            let spec = config.spec();
            let norm: Vec<_> =
                json["normalization"].as_array().unwrap().iter().map(|s| json_group(&s["dict"])).collect();
            assert_eq!(norm, vec![levels(NORMALIZATION)], "{config}");
            let seg = json.get("segmentation").map(|s| {
                assert_eq!(s["type"], "mmseg");
                json_group(&s["dict"])
            });
            assert_eq!(seg, spec.seg.map(|l| levels(&[l])), "{config}");
            let chain: Vec<_> =
                json["conversion_chain"].as_array().unwrap().iter().map(|s| json_group(&s["dict"])).collect();
            let want: Vec<_> = spec.chain.iter().map(|g| levels(g)).collect();
            assert_eq!(chain, want, "{config}");
        }
    }

    #[test]
    fn generated_dictionaries() {
        let rev = Dict::TWVariantsRev.entries();
        assert!(rev.iter().any(|(k, v)| *k == "偽" && v.contains(&"僞")), "{:?}", &rev[..5]);
        // `# @reverse-prefer: 梁` puts 梁 first among the keys giving 梁.
        let liang = rev.iter().find(|(k, _)| *k == "梁").expect("梁");
        assert_eq!(liang.1[0], "梁", "{liang:?}");
        let ext = Dict::TSCharactersExt.entries();
        assert!(ext.len() > 800 && ext.iter().all(|(k, v)| !v.contains(k)), "{}", ext.len());
        let generated = Dict::STPhrasesGenerated.entries();
        assert!(generated.len() > 100 && generated.iter().all(|(k, _)| k.chars().count() >= 3));
        assert!(Dict::JPShinjitaiCharactersRev.entries().len() > 300);
    }

    #[test]
    fn compatibility_ideographs_are_in_the_scanned_ranges() {
        for (key, _) in Dict::CJKCompatibilityIdeographs.entries() {
            assert!(Scan::of(key).compatibility, "{key} U+{:X}", key.chars().next().unwrap() as u32);
        }
        assert!(!Scan::of("香港，「中文」—…").compatibility);
    }

    #[test]
    fn group_first_level_wins() {
        // A later level's key that extends an earlier one's is dropped.
        let m =
            Matcher::build(&[&[Dict::TWPhrasesRev], &[Dict::TWVariantsRevPhrases], &[Dict::TWVariantsRev]]);
        let found: Vec<_> = m.matches("滑鼠").collect();
        assert_eq!(found.len(), 1);
        assert!(found[0].3);
    }

    #[test]
    fn unchanged_text_is_borrowed() {
        assert!(matches!(convert(Config::T2hk, "香港 AI 產業"), Cow::Borrowed(_)));
        assert!(matches!(convert(Config::S2hk, "Latin only"), Cow::Borrowed(_)));
        assert!(matches!(convert(Config::S2tw, "⿰扌发"), Cow::Borrowed(_)));
    }

    #[test]
    fn segment_boundaries_hold_for_later_phrase_steps() {
        assert_eq!(convert(Config::S2twp, "鼠标"), "滑鼠");
        assert_eq!(convert(Config::Tw2sp, "滑鼠"), "鼠标");
    }

    #[test]
    fn description_sequences_are_copied_whole() {
        assert_eq!(description_len("⿰扌发x"), "⿰扌发".len());
        assert_eq!(description_len("⿱艹⿰日月"), "⿱艹⿰日月".len());
        assert_eq!(description_len("⿰扌"), 0);
        assert_eq!(convert(Config::S2t, "头发⿰扌发头发"), "頭髮⿰扌发頭髮");
        assert_eq!(convert(Config::S2t, "⿰扌"), "⿰扌");
        assert_eq!(descriptions("a⿰⿰b"), vec![]);
        // A variation selector is no operand: it goes with the character
        // before it, as in the text the converter reads without selectors.
        assert_eq!(descriptions("⿻\u{FE0C}�樯产"), vec![(0, 3 + 3 + 3 + 3)]);
        assert_eq!(descriptions("⿰扌\u{E0100}发x"), vec![(0, 3 + 3 + 4 + 3)]);
    }

    #[test]
    fn compatibility_ideographs_are_normalized() {
        // U+F900 豈 is the compatibility form of 豈.
        assert_eq!(convert(Config::T2tw, "\u{F900}"), "豈");
    }

    #[test]
    fn variation_selectors_stay_with_their_character() {
        let vs = '\u{E0100}';
        // The selector no longer breaks the phrase 头发 → 頭髮, and stays
        // after the character its base became.
        assert_eq!(convert(Config::S2t, &format!("头{vs}发")), format!("頭{vs}髮"));
        assert_eq!(convert(Config::S2t, &format!("中{vs}文头发")), format!("中{vs}文頭髮"));
        assert_eq!(convert(Config::T2s, &format!("邊{vs}")), format!("边{vs}"));
        assert_eq!(convert(Config::S2hk, "酂\u{FE0F}"), "酇\u{FE0F}");
        // A phrase of another length: the selectors follow it, in order.
        assert_eq!(convert(Config::S2twp, &format!("U盘{vs} 内{vs}存")), format!("隨身碟{vs} 記憶體{vs}"));
        assert_eq!(
            convert(Config::T2s, &format!("{vs}中\u{FE00}\u{FE01}")),
            format!("{vs}中\u{FE00}\u{FE01}")
        );
    }

    #[test]
    fn fast_path_equals_reference() {
        let texts = [
            "香港生產力促進局今天公布研究，头发和复合材料；鼠标、软件與滑鼠。",
            "想到自己一緊張就口吃，我就沒胃口吃飯。互联网络和快闪存储器。",
            "",
            "abc",
            "⿰扌发头发\u{F900}",
        ];
        for config in Config::ALL {
            for t in texts {
                assert_eq!(convert(config, t), convert_reference(config, t), "{config}: {t}");
            }
        }
    }
}
