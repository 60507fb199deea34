//! Stage 6: character variants — Traditional, Simplified and regional
//! standards.
//!
//! Scraped Traditional Chinese mixes scripts and standards: Simplified
//! characters inside Traditional pages (a `简体` link, a pasted paragraph),
//! Taiwan and Hong Kong forms (`裡`/`裏`, `衛`/`衞`, `着`/`著`). This stage
//! makes the text consistent, in one of these [`Variants`] modes:
//!
//! * `auto` (every profile's default): make the text consistently
//!   Traditional *without touching Traditional text*. A sentence with real
//!   evidence of being Simplified converts whole (to the profile's forms:
//!   `s2hk`, `s2tw`, or `s2t` for `cn`), with phrase context (`复合` → `複合`,
//!   `头发` → `頭髮`); in any other sentence only the Simplified-only
//!   characters change, and every character written in Traditional,
//!   Cantonese (`响`, `个`) or Hokkien stays as it is (see [`auto`]). Text
//!   without a Simplified-only character is recognised by one quick scan and
//!   left byte for byte alone.
//! * `hk`, `tw`, `twp`: full standardisation to Hong Kong or Taiwan forms
//!   (OpenCC `s2hk`/`t2hk`, `s2tw`/`t2tw`, `s2twp`), chosen by the script
//!   [`detect_script`] finds: Simplified text converts with `s2…`; other
//!   text first gets the `auto` treatment, then `t2…` (OpenCC-standard forms
//!   to the region's; the other region's own forms are left as they are,
//!   because OpenCC's reversed tables are ambiguous on ordinary text).
//! * `cn`: Simplified (OpenCC `hk2s`, which also knows Hong Kong forms).
//! * `none`: off.
//!
//! Any OpenCC configuration can also be asked for directly
//! ([`Options::convert`](crate::Options::convert)).
//!
//! The conversions themselves come from a [`Converter`]: [`Builtin`], the
//! pure-Rust engine of [`crate::opencc`], or — with the `opencc-sys` feature
//! — the C++ OpenCC library.

use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::LazyLock;

use crate::Profile;
use crate::edit::Edit;
use crate::opencc::{Config, Dict};

/// What the variants stage does; see the [module documentation](self).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum Variants {
    /// Convert Simplified-only spans to Traditional, leave the rest alone.
    #[default]
    Auto,
    /// Hong Kong standard (OpenCC `s2hk` or `t2hk`).
    Hk,
    /// Taiwan standard (OpenCC `s2tw` or `t2tw`).
    Tw,
    /// Taiwan standard with Taiwanese phrases (OpenCC `s2twp`).
    Twp,
    /// Simplified (OpenCC `t2s`).
    Cn,
    /// Leave characters as they are.
    None,
}

impl std::str::FromStr for Variants {
    type Err = crate::ParseError;
    fn from_str(s: &str) -> Result<Self, crate::ParseError> {
        match s.to_ascii_lowercase().as_str() {
            "auto" => Ok(Variants::Auto),
            "hk" => Ok(Variants::Hk),
            "tw" => Ok(Variants::Tw),
            "twp" => Ok(Variants::Twp),
            "cn" => Ok(Variants::Cn),
            "none" => Ok(Variants::None),
            _ => Err(crate::ParseError::new("variants mode", s, "auto, hk, tw, twp, cn or none")),
        }
    }
}

/// Something that runs OpenCC configurations.
pub trait Converter: Send + Sync + std::fmt::Debug {
    /// Converts `text` with `config`, borrowing it when nothing changes.
    fn convert<'a>(&self, config: Config, text: &'a str) -> Cow<'a, str>;
}

/// The pure-Rust converter of [`crate::opencc`]: no system library needed.
///
/// ```
/// use zh_clean::opencc::Config;
/// use zh_clean::variants::{Builtin, Converter};
/// assert_eq!(Builtin.convert(Config::S2hk, "头发"), "頭髮");
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Builtin;

impl Converter for Builtin {
    fn convert<'a>(&self, config: Config, text: &'a str) -> Cow<'a, str> {
        crate::opencc::convert(config, text)
    }
}

/// The C++ OpenCC library, with the `opencc-sys` feature: OpenCC 1.4.2's
/// C++ sources, built with the crate (by the `opencc-sys` crate, through
/// its safe wrapper `opencc-rs`), and the dictionaries compiled from the
/// release's, the ones `data/opencc/` vendors for [`Builtin`]. Nothing
/// comes from the system: the two backends convert the same data with two
/// implementations, and the tests compare them.
///
/// Opening a configuration writes it and its dictionaries to a temporary
/// directory, which OpenCC reads whole and which is removed at once;
/// each configuration is opened once per `System`. One converter may be
/// used from many threads at a time: OpenCC's conversion is thread-safe.
#[cfg(feature = "opencc-sys")]
#[derive(Default)]
pub struct System {
    open: std::sync::Mutex<std::collections::HashMap<Config, std::sync::Arc<opencc_rs::OpenCC>>>,
}

#[cfg(feature = "opencc-sys")]
impl std::fmt::Debug for System {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("System")
    }
}

#[cfg(feature = "opencc-sys")]
impl System {
    /// Checks that the library can open a configuration.
    pub fn new() -> Result<System, crate::Error> {
        System::with(&[Config::S2t])
    }

    /// Opens `configs` now, or says which one the library cannot open.
    pub fn with(configs: &[Config]) -> Result<System, crate::Error> {
        let system = System::default();
        for &config in configs {
            system.open(config)?;
        }
        Ok(system)
    }

    /// Whether the library can open `config`: every configuration is
    /// bundled, so only a temporary directory that cannot be written makes
    /// this false.
    pub fn has(&self, config: Config) -> bool {
        self.open(config).is_ok()
    }

    fn open(&self, config: Config) -> Result<std::sync::Arc<opencc_rs::OpenCC>, crate::Error> {
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(o) = open.get(&config) {
            return Ok(o.clone());
        }
        let o = opencc_rs::OpenCC::new([bundled(config)]).map_err(|e| {
            crate::Error::new(
                crate::ErrorKind::ConfigurationUnavailable,
                format!("OpenCC cannot open {}.json: {e}", config.name()),
            )
        })?;
        let o = std::sync::Arc::new(o);
        open.insert(config, o.clone());
        Ok(o)
    }
}

/// The bundled configuration of the same name.
#[cfg(feature = "opencc-sys")]
fn bundled(config: Config) -> opencc_rs::Config {
    use opencc_rs::Config as C;
    match config {
        Config::S2t => C::S2T,
        Config::T2s => C::T2S,
        Config::S2tw => C::S2TW,
        Config::Tw2s => C::TW2S,
        Config::S2hk => C::S2HK,
        Config::Hk2s => C::HK2S,
        Config::S2twp => C::S2TWP,
        Config::Tw2sp => C::TW2SP,
        Config::T2tw => C::T2TW,
        Config::Tw2t => C::TW2T,
        Config::T2hk => C::T2HK,
        Config::Hk2t => C::HK2T,
        Config::S2hkp => C::S2HKP,
        Config::Hk2sp => C::HK2SP,
        Config::T2jp => C::T2JP,
        Config::Jp2t => C::JP2T,
    }
}

#[cfg(feature = "opencc-sys")]
impl Converter for System {
    /// A configuration the library cannot open converts nothing. A
    /// [`Cleaner`](crate::Cleaner) opens every configuration its options
    /// use when it is built ([`System::with`]), and fails there instead.
    ///
    /// OpenCC's C interface ends strings at NUL, which no dictionary entry
    /// contains: the text is converted piece by piece between NULs, which
    /// stay where they are.
    fn convert<'a>(&self, config: Config, text: &'a str) -> Cow<'a, str> {
        let Ok(o) = self.open(config) else { return Cow::Borrowed(text) };
        let mut out = String::with_capacity(text.len());
        for (i, piece) in text.split('\0').enumerate() {
            if i > 0 {
                out.push('\0');
            }
            if piece.is_empty() {
                continue;
            }
            match o.convert(piece) {
                Ok(c) => out.push_str(&c),
                // OpenCC reports no failure on valid UTF-8; were it to, the
                // piece would stay as it is.
                Err(_) => out.push_str(piece),
            }
        }
        if out == text { Cow::Borrowed(text) } else { Cow::Owned(out) }
    }
}

/// Which script a text is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum Script {
    /// Traditional characters, or only characters both scripts share.
    Traditional,
    /// Simplified characters.
    Simplified,
    /// A real mix: at least a tenth of the distinctive characters of each.
    Mixed,
    /// No ideographs at all.
    NonChinese,
}

/// What [`detect_script`] counted.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScriptReport {
    /// The verdict.
    pub script: Script,
    /// Ideographs in the text.
    pub han: usize,
    /// Characters used only in Simplified Chinese (`发`, `头`).
    pub simplified_only: usize,
    /// Characters used only in Traditional Chinese (`發`, `頭`).
    pub traditional_only: usize,
}

impl ScriptReport {
    /// The share of ideographs that are Simplified-only.
    pub fn simplified_share(&self) -> f64 {
        if self.han == 0 { 0.0 } else { self.simplified_only as f64 / self.han as f64 }
    }

    /// The share of ideographs that are Traditional-only.
    pub fn traditional_share(&self) -> f64 {
        if self.han == 0 { 0.0 } else { self.traditional_only as f64 / self.han as f64 }
    }
}

/// Character sets derived from OpenCC's character tables and the legacy
/// national character sets.
///
/// * *Simplified-only*: characters OpenCC's `STCharacters` converts to
///   something else, that are not the forms a regional Traditional standard
///   writes (`TWVariants`, `HKVariants`: `群`, `床`, `秘` are Taiwan's forms
///   of OpenCC's `羣`, `牀`, `祕`), that Big5, the Traditional character
///   set, cannot encode (`发`, `头`, but not `复`, `体` or `瓮`, which
///   Traditional text can contain), and that are not in [`DUAL_USE`]
///   (Cantonese's `响`, `个`).
/// * *Traditional-only*: characters `TSCharacters` converts that GB 2312, the
///   Simplified character set, lacks.
struct Sets {
    simplified_only: CharSet,
    traditional_only: CharSet,
}

/// Whether Big5, the Traditional character set, has `c`.
fn in_big5(c: char) -> bool {
    let mut buf = [0u8; 4];
    let (_, _, unmappable) = encoding_rs::BIG5.encode(c.encode_utf8(&mut buf));
    !unmappable
}

fn in_gb2312(c: char) -> bool {
    let mut buf = [0u8; 4];
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(c.encode_utf8(&mut buf));
    // GB 2312's ideographs are GBK's rows 0xB0–0xF7, cells 0xA1–0xFE.
    !unmappable && matches!(bytes.as_ref(), [0xB0..=0xF7, 0xA1..=0xFE])
}

/// Simplified forms that are also ordinary characters of Traditional
/// writing outside Big5: Cantonese `响` (at, *hoeng2*), `吓` (*haa5*, as in
/// `試吓`), `揾` (Hong Kong's `搵`), and `个`, Cantonese's and Taiwanese
/// Hokkien's classifier (the Ministry of Education writes *ê* `个`). They
/// convert inside Simplified sentences, never inside Traditional ones.
pub const DUAL_USE: &[char] = &['响', '吓', '揾', '个'];

/// A set of characters with a bitmap for the Basic Multilingual Plane.
struct CharSet {
    bmp: Vec<u64>,
    other: HashSet<char>,
}

impl CharSet {
    fn new(chars: impl Iterator<Item = char>) -> CharSet {
        let mut s = CharSet { bmp: vec![0; 0x10000 / 64], other: HashSet::new() };
        for c in chars {
            let u = c as usize;
            if u < 0x10000 {
                s.bmp[u / 64] |= 1 << (u % 64);
            } else {
                s.other.insert(c);
            }
        }
        s
    }

    #[inline]
    fn contains(&self, c: char) -> bool {
        let u = c as usize;
        if u < 0x10000 { self.bmp[u / 64] & (1 << (u % 64)) != 0 } else { self.other.contains(&c) }
    }
}

static SETS: LazyLock<Sets> = LazyLock::new(|| {
    let single = |k: &str| {
        let mut it = k.chars();
        match (it.next(), it.next()) {
            (Some(c), None) => Some(c),
            _ => None,
        }
    };
    let changed = |entries: &'static [(&'static str, Vec<&'static str>)]| {
        entries.iter().filter(|(k, v)| !v.contains(k)).filter_map(|(k, _)| single(k)).collect::<Vec<char>>()
    };
    let regional: HashSet<&str> = [Dict::TWVariants, Dict::HKVariants]
        .iter()
        .flat_map(|d| d.entries().iter().flat_map(|(_, v)| v.iter().copied()))
        .collect();
    let forms: Vec<char> = changed(Dict::STCharacters.entries())
        .into_iter()
        .filter(|c| !regional.contains(c.to_string().as_str()))
        .collect();
    Sets {
        simplified_only: CharSet::new(forms.into_iter().filter(|&c| !in_big5(c) && !DUAL_USE.contains(&c))),
        traditional_only: CharSet::new(
            changed(Dict::TSCharacters.entries()).into_iter().filter(|&c| !in_gb2312(c)),
        ),
    }
});

/// Counts Simplified-only and Traditional-only characters and names the
/// script.
///
/// ```
/// use zh_clean::variants::{detect_script, Script};
/// assert_eq!(detect_script("香港生產力促進局今天公布").script, Script::Traditional);
/// assert_eq!(detect_script("香港生产力促进局今天公布").script, Script::Simplified);
/// assert_eq!(detect_script("頭髮和头发、發展和发展").script, Script::Mixed);
/// assert_eq!(detect_script("RWTH Aachen").script, Script::NonChinese);
/// ```
pub fn detect_script(text: &str) -> ScriptReport {
    let sets = &*SETS;
    let (mut han, mut simp, mut trad) = (0, 0, 0);
    for c in text.chars().filter(|&c| c as u32 >= 0x2E80 && crate::chars::is_han(c)) {
        han += 1;
        simp += usize::from(sets.simplified_only.contains(c));
        trad += usize::from(sets.traditional_only.contains(c));
    }
    let script = if han == 0 {
        Script::NonChinese
    } else if simp * 10 <= trad {
        // Traditional or shared characters only, or a stray Simplified-only
        // character in Traditional text.
        Script::Traditional
    } else if trad * 10 <= simp {
        Script::Simplified
    } else {
        Script::Mixed
    };
    ScriptReport { script, han, simplified_only: simp, traditional_only: trad }
}

/// True when `text` has a Simplified-only character. A fast scan: ASCII
/// bytes are skipped, other characters are looked up in a bitmap.
pub fn has_simplified(text: &str) -> bool {
    let sets = &*SETS;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let len = crate::bytes::utf8_len(b);
        if len < 3 {
            // ASCII, or a two-byte character (no ideographs there).
            i += len;
            continue;
        }
        if let Some(c) = text.get(i..i + len).and_then(|s| s.chars().next())
            && sets.simplified_only.contains(c)
        {
            return true;
        }
        i += len;
    }
    false
}

/// How a sentence that has Simplified-only characters is treated by the
/// `auto` mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sentence {
    /// Written in Simplified: converted whole, with phrase context.
    Simplified,
    /// Written in Traditional, with leaked Simplified characters: only those
    /// characters change.
    Traditional,
}

/// The evidence `auto` asks for before it converts a sentence whole: at
/// least this many Simplified-only characters, or one in a sentence with no
/// Traditional-only character and no [`DUAL_USE`] one (`□ 简体`)…
pub const AUTO_MIN_SIMPLIFIED: usize = 2;

/// …and at least this many times as many as Traditional-only ones. Clean
/// Traditional text (Hong Kong, Taiwan, Cantonese, Taiwanese Hokkien) has no
/// Simplified-only character at all; Simplified text has almost no
/// Traditional-only one. A Traditional sentence with a pasted Simplified
/// word, or a Cantonese sentence with one leaked character (`我响屋企等紧你`),
/// stays on the safe side: only its Simplified-only characters convert.
pub const AUTO_MAJORITY: usize = 2;

/// Classifies a sentence from its counts of Simplified-only and
/// Traditional-only characters (see [`AUTO_MIN_SIMPLIFIED`]).
fn classify(simplified_only: usize, traditional_only: usize, dual_use: bool) -> Sentence {
    let enough = simplified_only >= AUTO_MIN_SIMPLIFIED || (traditional_only == 0 && !dual_use);
    if simplified_only > 0 && enough && simplified_only >= AUTO_MAJORITY * traditional_only {
        Sentence::Simplified
    } else {
        Sentence::Traditional
    }
}

/// The `auto` mode: Simplified sentences become Traditional, Traditional
/// sentences keep every character they were written with.
///
/// Sentences end at `。！？；!?;` and line ends. A sentence without a
/// Simplified-only character is left alone (text without one is borrowed).
/// A sentence with [enough evidence](AUTO_MIN_SIMPLIFIED) of being
/// Simplified is converted whole with `target` (`s2hk`, `s2tw` or `s2t`),
/// so that its phrases and ambiguous characters convert in context
/// (`复合材料与头发` → `複合材料與頭髮`). In any other sentence only the
/// Simplified-only characters change: each run of characters around them
/// that are not Traditional-only is converted with `target` for context, and
/// only the Simplified-only characters take their converted form; every
/// other character stays as written, in its regional form (`說` is not made
/// `説`) or as an ordinary Cantonese or Hokkien character (`响`, `个`).
///
/// ```
/// use zh_clean::opencc::Config;
/// use zh_clean::variants::{auto, Builtin};
/// assert_eq!(auto("复合材料与头发。裏面着數。", Config::S2hk, &Builtin), "複合材料與頭髮。裏面着數。");
/// assert_eq!(auto("新加坡于2019年推出国家战略", Config::S2hk, &Builtin), "新加坡於2019年推出國家戰略");
/// // One leaked character in a Traditional sentence: only it changes.
/// assert_eq!(auto("他說這個发展很重要", Config::S2hk, &Builtin), "他說這個發展很重要");
/// assert!(matches!(auto("你响邊度呀？佢个仔好叻。", Config::S2hk, &Builtin), std::borrow::Cow::Borrowed(_)));
/// ```
pub fn auto<'a>(text: &'a str, target: Config, converter: &dyn Converter) -> Cow<'a, str> {
    if !has_simplified(text) {
        return Cow::Borrowed(text);
    }
    let mut edit = Edit::new(text);
    let mut start = 0;
    for (i, c) in text.char_indices() {
        let end = i + c.len_utf8();
        if matches!(c, '。' | '！' | '？' | '；' | '!' | '?' | ';' | '\n') || end == text.len() {
            let sentence = &text[start..end];
            if has_simplified(sentence) {
                let r = detect_script(sentence);
                let dual_use = sentence.chars().any(|c| DUAL_USE.contains(&c));
                match classify(r.simplified_only, r.traditional_only, dual_use) {
                    Sentence::Simplified => edit.replace(start, end, &converter.convert(target, sentence)),
                    Sentence::Traditional => {
                        edit.replace(start, end, &convert_simplified_only(sentence, target, converter))
                    }
                }
            }
            start = end;
        }
    }
    edit.finish()
}

/// Converts only the Simplified-only characters of `sentence`; see [`auto`].
fn convert_simplified_only<'a>(sentence: &'a str, target: Config, converter: &dyn Converter) -> Cow<'a, str> {
    let sets = &*SETS;
    let is_han = |c: char| c as u32 >= 0x2E80 && crate::chars::is_han(c);
    let chars: Vec<(usize, char)> = sentence.char_indices().collect();
    // An ideographic description (`⿰扌发`) is kept as it is, as the
    // converter keeps it in a sentence converted whole.
    let descriptions = crate::opencc::descriptions(sentence);
    let described = |at: usize| descriptions.iter().any(|&(s, e)| (s..e).contains(&at));
    let mut edit = Edit::new(sentence);
    let mut i = 0;
    while i < chars.len() {
        if !sets.simplified_only.contains(chars[i].1) || described(chars[i].0) {
            i += 1;
            continue;
        }
        // The run of ideographs around it that are not Traditional-only.
        let in_run = |c: char| is_han(c) && !sets.traditional_only.contains(c);
        let mut a = i;
        while a > 0 && in_run(chars[a - 1].1) {
            a -= 1;
        }
        let mut b = i + 1;
        while b < chars.len() && in_run(chars[b].1) {
            b += 1;
        }
        let byte = |k: usize| chars.get(k).map_or(sentence.len(), |&(o, _)| o);
        let run = &sentence[byte(a)..byte(b)];
        let converted = converter.convert(target, run);
        let aligned = converted.chars().count() == b - a;
        for (k, new) in (a..b).zip(converted.chars().chain(std::iter::repeat('\0'))) {
            let (at, old) = chars[k];
            if !sets.simplified_only.contains(old) || described(at) {
                continue;
            }
            let new = if aligned {
                new.to_string()
            } else {
                converter.convert(target, &sentence[at..at + old.len_utf8()]).into_owned()
            };
            edit.replace(at, at + old.len_utf8(), &new);
        }
        i = b;
    }
    edit.finish()
}

/// The Traditional configuration the `auto` mode uses for a profile.
fn auto_target(profile: Profile) -> Config {
    match profile {
        Profile::Hk => Config::S2hk,
        Profile::Tw => Config::S2tw,
        Profile::Cn => Config::S2t,
    }
}

/// The configurations [`apply`] may run for `mode` and `profile`.
pub(crate) fn configs(mode: Variants, profile: Profile) -> Vec<Config> {
    match mode {
        Variants::None => vec![],
        Variants::Auto => vec![auto_target(profile)],
        Variants::Cn => vec![Config::Hk2s],
        Variants::Hk => vec![Config::S2hk, Config::T2hk],
        Variants::Tw => vec![Config::S2tw, Config::T2tw],
        Variants::Twp => vec![Config::S2twp, Config::T2tw],
    }
}

/// Runs the variants stage on `text` with `mode`, using `converter` for the
/// conversions. `script` is the script of the whole document; `profile`
/// picks the regional forms of the `auto` mode.
pub fn apply<'a>(
    mode: Variants,
    profile: Profile,
    script: Script,
    converter: &dyn Converter,
    text: &'a str,
) -> Cow<'a, str> {
    let target = match mode {
        Variants::None => return Cow::Borrowed(text),
        Variants::Auto => return auto(text, auto_target(profile), converter),
        // hk2s also maps Hong Kong forms (衞) that t2s leaves alone.
        Variants::Cn => return converter.convert(Config::Hk2s, text),
        Variants::Hk => (Config::S2hk, Config::T2hk),
        Variants::Tw => (Config::S2tw, Config::T2tw),
        // Taiwanese phrases apply to OpenCC-standard Traditional text; there
        // is no t2twp, so Traditional input gets the Taiwan standard forms.
        Variants::Twp => (Config::S2twp, Config::T2tw),
    };
    if script == Script::Simplified {
        return converter.convert(target.0, text);
    }
    // Other text: Simplified sentences to the target's Traditional, then
    // OpenCC's standard forms to the region's. The other region's forms are
    // not reversed: OpenCC's reversed tables are ambiguous on ordinary text
    // (tw2t turns 參加 into 蔘加 and 顯著 into 顯着).
    match auto(text, target.0, converter) {
        Cow::Borrowed(b) => converter.convert(target.1, b),
        Cow::Owned(s) => Cow::Owned(converter.convert(target.1, &s).into_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets_are_sensible() {
        let sets = &*SETS;
        for c in ['发', '头', '这', '们', '简'] {
            assert!(sets.simplified_only.contains(c), "{c}");
        }
        for c in ['發', '頭', '這', '們', '裏', '着', '干', '里', '后', '中', 'A', '群', '峰', '秘', '床']
        {
            assert!(!sets.simplified_only.contains(c), "{c}");
        }
        for c in ['發', '頭', '這', '們', '簡'] {
            assert!(sets.traditional_only.contains(c), "{c}");
        }
        for c in ['发', '中', '干'] {
            assert!(!sets.traditional_only.contains(c), "{c}");
        }
    }

    #[test]
    fn descriptions_stay_in_traditional_sentences_too() {
        let c = Builtin;
        // An ideographic description is kept whether the sentence is
        // converted whole (Simplified) or character by character.
        assert_eq!(auto("⿿时", Config::S2hk, &c), "⿿时");
        assert_eq!(auto("⿿时軟體", Config::S2hk, &c), "⿿时軟體");
        assert_eq!(auto("⿳�⿻�香樯軟體", Config::S2hk, &c), "⿳�⿻�香樯軟體");
        assert_eq!(auto("⿰扌发 香樯軟體", Config::S2hk, &c), "⿰扌发 香檣軟體");
        assert_eq!(auto("时軟體", Config::S2hk, &c), "時軟體");
        // A variation selector after the operator is no operand, whichever
        // way the sentence is converted.
        assert_eq!(auto("⿻\u{FE0C}�樯产", Config::S2hk, &c), "⿻\u{FE0C}�樯產");
        assert_eq!(auto("⿻\u{FE0C}�樯產", Config::S2hk, &c), "⿻\u{FE0C}�樯產");
    }

    #[test]
    fn auto_converts_only_simplified_sentences() {
        let hk = |t: &str| auto(t, Config::S2hk, &Builtin).into_owned();
        assert_eq!(hk("□ 简体"), "□ 簡體");
        assert_eq!(hk("复合材料的发展"), "複合材料的發展");
        // Without a Simplified-only character, 复 and 瓮 may be Traditional.
        assert_eq!(hk("复合瓮城"), "复合瓮城");
        assert_eq!(hk("头发"), "頭髮");
        // Regional forms and shared characters stay: 裏, 着, 衞, 干.
        for s in ["裏面", "着數", "衞生", "干涉", "香港生產力促進局", ""] {
            assert!(matches!(auto(s, Config::S2hk, &Builtin), Cow::Borrowed(_)), "{s}");
        }
        // Only the Simplified sentence converts, to the profile's forms.
        assert_eq!(hk("衞生署干涉。为了发展。"), "衞生署干涉。為了發展。");
        assert_eq!(auto("为了发展", Config::S2tw, &Builtin), "為了發展");
        assert_eq!(auto("为了发展", Config::S2t, &Builtin), "爲了發展");
    }

    #[test]
    fn modes() {
        let m = |mode, script, text: &str| apply(mode, Profile::Hk, script, &Builtin, text).into_owned();
        assert_eq!(m(Variants::Hk, Script::Traditional, "香港的衛生裏面"), "香港的衞生裏面");
        assert_eq!(m(Variants::Tw, Script::Traditional, "香港的衛生裏面"), "香港的衛生裡面");
        // Ordinary words survive every mode (no reversed regional tables).
        for mode in [Variants::Hk, Variants::Tw, Variants::Twp] {
            assert_eq!(m(mode, Script::Traditional, "參加會議，顯著"), "參加會議，顯著", "{mode:?}");
        }
        assert_eq!(m(Variants::Cn, Script::Traditional, "參加什麼，顯著，衞生"), "参加什么，显著，卫生");
        assert_eq!(m(Variants::Hk, Script::Simplified, "头发里面"), "頭髮裏面");
        assert_eq!(m(Variants::Tw, Script::Simplified, "头发里面"), "頭髮裡面");
        assert_eq!(m(Variants::Twp, Script::Simplified, "鼠标和软件"), "滑鼠和軟體");
        assert_eq!(m(Variants::Cn, Script::Traditional, "頭髮"), "头发");
        assert_eq!(m(Variants::None, Script::Simplified, "头发"), "头发");
        assert_eq!(m(Variants::Auto, Script::Mixed, "頭髮和头发"), "頭髮和頭髮");
    }

    #[test]
    fn script_detection_counts() {
        let r = detect_script("頭髮和头发");
        assert_eq!((r.han, r.simplified_only, r.traditional_only), (5, 2, 2));
        assert_eq!(r.script, Script::Mixed);
        assert!((r.simplified_share() - 0.4).abs() < 1e-9);
        assert_eq!(detect_script("中文").script, Script::Traditional);
        assert_eq!(detect_script("").script, Script::NonChinese);
    }

    #[test]
    fn has_simplified_scans_every_kind_of_character() {
        assert!(has_simplified("abc é 头"));
        assert!(has_simplified("头"));
        assert!(!has_simplified("abc é 頭 😀 𠀀"));
    }
}
