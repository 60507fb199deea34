//! Options: profiles, stage switches and per-rule overrides.

use crate::opencc::Config;
use crate::punct::{PunctOptions, QuoteStyle};
use crate::spacing::CjkLatinSpace;
use crate::variants::Variants;

/// A regional standard: it sets the defaults of every other option.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum Profile {
    /// Hong Kong: corner quotes `「」『』`, middle dot `·` (U+00B7).
    #[default]
    Hk,
    /// Taiwan: corner quotes `「」『』`, middle dot `‧` (U+2027).
    Tw,
    /// Mainland China: curly quotes `“”‘’`, middle dot `·` (U+00B7), and
    /// characters left as they are ([`Variants::None`]): Simplified text
    /// stays Simplified unless a variants mode is asked for.
    #[cfg_attr(
        feature = "cli",
        value(
            help = "Mainland China: curly quotes `“”‘’`, middle dot `·` (U+00B7), characters left as they are"
        )
    )]
    Cn,
}

impl std::str::FromStr for Profile {
    type Err = crate::ParseError;
    fn from_str(s: &str) -> Result<Self, crate::ParseError> {
        match s.to_ascii_lowercase().as_str() {
            "hk" => Ok(Profile::Hk),
            "tw" => Ok(Profile::Tw),
            "cn" => Ok(Profile::Cn),
            _ => Err(crate::ParseError::new("profile", s, "hk, tw or cn")),
        }
    }
}

/// A stage of the pipeline that can be switched on or off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum Stage {
    /// Repair of text decoded with the wrong codec upstream (mojibake).
    Encoding,
    /// Line endings, invisible characters, Unicode spaces, NFC, radicals.
    Hygiene,
    /// Blocks, list items and re-joining of hard-wrapped lines.
    Structure,
    /// ASCII/fullwidth punctuation, quotes, dots, ellipses.
    Punctuation,
    /// Removing spurious spaces and repairing tokenizer artifacts.
    Spacing,
    /// Traditional/Simplified and regional character variants.
    Variants,
}

impl Stage {
    /// Every stage, in pipeline order.
    pub const ALL: [Stage; 6] = [
        Stage::Encoding,
        Stage::Hygiene,
        Stage::Structure,
        Stage::Punctuation,
        Stage::Spacing,
        Stage::Variants,
    ];

    /// The stage's name as the CLI spells it.
    pub fn name(self) -> &'static str {
        match self {
            Stage::Encoding => "encoding",
            Stage::Hygiene => "hygiene",
            Stage::Structure => "structure",
            Stage::Spacing => "spacing",
            Stage::Punctuation => "punctuation",
            Stage::Variants => "variants",
        }
    }
}

impl std::str::FromStr for Stage {
    type Err = crate::ParseError;
    fn from_str(s: &str) -> Result<Self, crate::ParseError> {
        Stage::ALL
            .into_iter()
            .find(|st| st.name() == s.to_ascii_lowercase() || (s == "punct" && *st == Stage::Punctuation))
            .ok_or_else(|| {
                let names: Vec<&str> = Stage::ALL.iter().map(|st| st.name()).collect();
                crate::ParseError::new("stage", s, format!("one of {}", names.join(", ")))
            })
    }
}

/// Everything a [`Cleaner`](crate::Cleaner) can be told.
///
/// Start from a profile and override what you need:
///
/// ```
/// use zh_clean::{CjkLatinSpace, Options, Profile, Stage};
/// let options = Options::new(Profile::Tw)
///     .cjk_latin_space(CjkLatinSpace::Pangu)
///     .stage(Stage::Structure, false);
/// assert_eq!(options.middle_dot, '‧');
/// assert!(!options.structure);
/// ```
///
/// Deserialized (feature `serde`), a missing field takes the default of the
/// profile the record names, exactly as [`Options::new`] gives it, and an
/// unknown field is an error naming it:
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use zh_clean::{Options, Profile, QuoteStyle};
/// let o: Options = serde_json::from_str(r#"{"profile": "tw", "quotes": "curly"}"#).unwrap();
/// assert_eq!(o, Options::new(Profile::Tw).quotes(QuoteStyle::Curly));
/// let err = serde_json::from_str::<Options>(r#"{"profil": "tw"}"#).unwrap_err();
/// assert!(err.to_string().contains("unknown field `profil`"));
/// # }
/// ```
/// Options are built from a profile ([`Options::new`]) and changed with the
/// builder methods or by assigning fields; the struct is
/// `#[non_exhaustive]`, so that an option added later breaks no caller.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(from = "OptionsFields"))]
#[non_exhaustive]
pub struct Options {
    /// The regional standard the defaults come from.
    pub profile: Profile,
    /// Run the encoding repair (see [`crate::mojibake`]).
    pub encoding: bool,
    /// Run the hygiene stage.
    pub hygiene: bool,
    /// Run the structure stage (paragraphs, lists, unwrapping).
    pub structure: bool,
    /// Run the spacing stage.
    pub spacing: bool,
    /// Run the punctuation stage.
    pub punctuation: bool,
    /// Run the variants stage. Off, the stage changes nothing, as with
    /// [`Variants::None`]; the switch is the one every stage has, so that
    /// [`Options::only`] and [`Options::stage`] treat the stages alike.
    pub variants_stage: bool,
    /// Spaces between ideographs and Latin letters or digits.
    pub cjk_latin_space: CjkLatinSpace,
    /// Quotation marks for CJK text.
    pub quotes: QuoteStyle,
    /// The middle dot every variant is unified to.
    pub middle_dot: char,
    /// The variants mode (see [`crate::variants`]).
    pub variants: Variants,
    /// An OpenCC conversion to run instead of the variants mode: a one-way
    /// transformation of every character, where the modes convert only
    /// what their region writes otherwise.
    pub convert: Option<Config>,
    /// Which converter runs OpenCC conversions.
    pub backend: Backend,
    /// Keep only the main content: drop navigation, placeholders, footers
    /// and repeated blocks (see [`crate::content`]).
    pub main_content: bool,
    /// Drop repeated blocks only (implied by `main_content`).
    pub dedupe: bool,
    /// With the `segment` feature: cut words to the granularity of the
    /// Universal Dependencies treebanks instead of jieba's
    /// ([`Segmenter::fine`](crate::segment::Segmenter::fine)); off by
    /// default.
    pub fine_words: bool,
}

/// The converter behind the variants stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum Backend {
    /// The pure-Rust converter ([`crate::variants::Builtin`]).
    #[default]
    #[cfg_attr(feature = "cli", value(help = "The pure-Rust converter"))]
    Builtin,
    /// The C++ OpenCC library, with the `opencc-sys` feature.
    OpenccSys,
}

/// The fields of [`Options`] as a configuration record gives them: each one
/// optional, so that a missing one takes its profile's default.
#[cfg(feature = "serde")]
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct OptionsFields {
    profile: Option<Profile>,
    encoding: Option<bool>,
    hygiene: Option<bool>,
    structure: Option<bool>,
    spacing: Option<bool>,
    punctuation: Option<bool>,
    variants_stage: Option<bool>,
    cjk_latin_space: Option<CjkLatinSpace>,
    quotes: Option<QuoteStyle>,
    middle_dot: Option<char>,
    variants: Option<Variants>,
    convert: Option<Config>,
    backend: Option<Backend>,
    main_content: Option<bool>,
    dedupe: Option<bool>,
    fine_words: Option<bool>,
}

#[cfg(feature = "serde")]
impl From<OptionsFields> for Options {
    fn from(f: OptionsFields) -> Options {
        let d = Options::new(f.profile.unwrap_or_default());
        Options {
            profile: d.profile,
            encoding: f.encoding.unwrap_or(d.encoding),
            hygiene: f.hygiene.unwrap_or(d.hygiene),
            structure: f.structure.unwrap_or(d.structure),
            spacing: f.spacing.unwrap_or(d.spacing),
            punctuation: f.punctuation.unwrap_or(d.punctuation),
            variants_stage: f.variants_stage.unwrap_or(d.variants_stage),
            cjk_latin_space: f.cjk_latin_space.unwrap_or(d.cjk_latin_space),
            quotes: f.quotes.unwrap_or(d.quotes),
            middle_dot: f.middle_dot.unwrap_or(d.middle_dot),
            variants: f.variants.unwrap_or(d.variants),
            convert: f.convert.or(d.convert),
            backend: f.backend.unwrap_or(d.backend),
            main_content: f.main_content.unwrap_or(d.main_content),
            dedupe: f.dedupe.unwrap_or(d.dedupe),
            fine_words: f.fine_words.unwrap_or(d.fine_words),
        }
    }
}

impl Default for Options {
    /// The Hong Kong profile.
    fn default() -> Self {
        Options::new(Profile::Hk)
    }
}

impl Options {
    /// The defaults of `profile`, every stage on.
    ///
    /// ```
    /// use zh_clean::{Options, Profile, QuoteStyle};
    /// assert_eq!(Options::new(Profile::Cn).quotes, QuoteStyle::Curly);
    /// ```
    pub fn new(profile: Profile) -> Options {
        let (quotes, middle_dot) = match profile {
            Profile::Hk => (QuoteStyle::Corner, '\u{00B7}'),
            Profile::Tw => (QuoteStyle::Corner, '\u{2027}'),
            Profile::Cn => (QuoteStyle::Curly, '\u{00B7}'),
        };
        Options {
            profile,
            encoding: true,
            hygiene: true,
            structure: true,
            spacing: true,
            punctuation: true,
            variants_stage: true,
            cjk_latin_space: CjkLatinSpace::Auto,
            quotes,
            middle_dot,
            variants: if profile == Profile::Cn { Variants::None } else { Variants::Auto },
            convert: None,
            backend: Backend::Builtin,
            main_content: false,
            dedupe: false,
            fine_words: false,
        }
    }

    /// Switches one stage on or off.
    ///
    /// ```
    /// use zh_clean::{Cleaner, Options, Stage};
    /// let c = Cleaner::new(Options::default().stage(Stage::Punctuation, false));
    /// assert_eq!(c.clean("香 港 , 九 龍"), "香港,九龍");
    /// ```
    pub fn stage(mut self, stage: Stage, on: bool) -> Options {
        *self.stage_mut(stage) = on;
        self
    }

    /// Runs only the given stages.
    ///
    /// ```
    /// use zh_clean::{Cleaner, Options, Stage};
    /// let c = Cleaner::new(Options::default().only(&[Stage::Hygiene]));
    /// assert_eq!(c.clean("香港 \u{200B}生產"), "香港 生產");
    /// ```
    pub fn only(mut self, stages: &[Stage]) -> Options {
        for s in Stage::ALL {
            *self.stage_mut(s) = stages.contains(&s);
        }
        self
    }

    /// Whether `stage` runs.
    pub fn runs(&self, stage: Stage) -> bool {
        match stage {
            Stage::Encoding => self.encoding,
            Stage::Hygiene => self.hygiene,
            Stage::Structure => self.structure,
            Stage::Spacing => self.spacing,
            Stage::Punctuation => self.punctuation,
            Stage::Variants => self.variants_stage,
        }
    }

    /// The OpenCC configurations cleaning with these options may run: the
    /// explicit conversion, or those of the variants mode (none when the
    /// variants stage is off).
    ///
    /// ```
    /// use zh_clean::opencc::Config;
    /// use zh_clean::{Options, Profile, Variants};
    /// assert_eq!(Options::default().configs(), [Config::S2hk]);
    /// assert_eq!(Options::new(Profile::Cn).configs(), []);
    /// assert_eq!(Options::default().variants(Variants::Tw).configs(), [Config::S2tw, Config::T2tw]);
    /// assert_eq!(Options::default().convert(Config::S2twp).configs(), [Config::S2twp]);
    /// ```
    pub fn configs(&self) -> Vec<Config> {
        match (self.variants_stage, self.convert) {
            (false, _) => Vec::new(),
            (true, Some(config)) => vec![config],
            (true, None) => crate::variants::configs(self.variants, self.profile),
        }
    }

    fn stage_mut(&mut self, stage: Stage) -> &mut bool {
        match stage {
            Stage::Encoding => &mut self.encoding,
            Stage::Hygiene => &mut self.hygiene,
            Stage::Structure => &mut self.structure,
            Stage::Spacing => &mut self.spacing,
            Stage::Punctuation => &mut self.punctuation,
            Stage::Variants => &mut self.variants_stage,
        }
    }

    /// Sets the policy for spaces between ideographs and Latin text.
    ///
    /// ```
    /// use zh_clean::{CjkLatinSpace, Cleaner, Options};
    /// let c = Cleaner::new(Options::default().cjk_latin_space(CjkLatinSpace::Pangu));
    /// assert_eq!(c.clean("使用Python寫"), "使用 Python 寫");
    /// ```
    pub fn cjk_latin_space(mut self, policy: CjkLatinSpace) -> Options {
        self.cjk_latin_space = policy;
        self
    }

    /// Sets the quotation marks for CJK text.
    ///
    /// ```
    /// use zh_clean::{Cleaner, Options, QuoteStyle};
    /// let c = Cleaner::new(Options::default().quotes(QuoteStyle::Curly));
    /// assert_eq!(c.clean("「引文」"), "“引文”");
    /// ```
    pub fn quotes(mut self, quotes: QuoteStyle) -> Options {
        self.quotes = quotes;
        self
    }

    /// Sets the middle dot every variant is unified to.
    ///
    /// ```
    /// use zh_clean::{Cleaner, Options};
    /// let c = Cleaner::new(Options::default().middle_dot('‧'));
    /// assert_eq!(c.clean("威廉·陸斯佛"), "威廉‧陸斯佛");
    /// ```
    pub fn middle_dot(mut self, dot: char) -> Options {
        self.middle_dot = dot;
        self
    }

    /// Sets the variants mode.
    ///
    /// ```
    /// use zh_clean::{Cleaner, Options, Variants};
    /// let c = Cleaner::new(Options::default().variants(Variants::Tw));
    /// assert_eq!(c.clean("衛生署裏面"), "衛生署裡面");
    /// ```
    pub fn variants(mut self, mode: Variants) -> Options {
        self.variants = mode;
        self
    }

    /// Runs one OpenCC conversion instead of the variants mode.
    ///
    /// ```
    /// use zh_clean::{Cleaner, Options, opencc::Config};
    /// let c = Cleaner::new(Options::default().convert(Config::T2s));
    /// assert_eq!(c.clean("頭髮"), "头发");
    /// ```
    pub fn convert(mut self, config: Config) -> Options {
        self.convert = Some(config);
        self
    }

    /// Keeps only the main content of a page.
    ///
    /// ```
    /// use zh_clean::{Cleaner, Options};
    /// let page = "[ logo ]\n• 首頁\n• 服務\n• 關於 我們\n\n香港 生產 力 促進 局 今天 公布 研究 結果 ， 受訪 企業 表示 有 技術 人才 招聘 困難 。\n\n© 版權 所有\n";
    /// let c = Cleaner::new(Options::default().main_content(true));
    /// assert_eq!(c.clean(page), "香港生產力促進局今天公布研究結果，受訪企業表示有技術人才招聘困難。\n");
    /// ```
    pub fn main_content(mut self, on: bool) -> Options {
        self.main_content = on;
        self
    }

    /// Drops repeated blocks (keeping the first), nothing else.
    pub fn dedupe(mut self, on: bool) -> Options {
        self.dedupe = on;
        self
    }

    /// With the `segment` feature: the cleaner's segmenter cuts jieba's
    /// words further, to the granularity of the Universal Dependencies
    /// treebanks (numeral and classifier, compounds of dictionary words,
    /// `為`/`於` after a verb; see
    /// [`Segmenter::fine`](crate::segment::Segmenter::fine)). Off by
    /// default: the words are jieba's.
    ///
    /// ```
    /// # #[cfg(feature = "segment")] {
    /// use zh_clean::{Cleaner, Options};
    /// let c = Cleaner::new(Options::default().fine_words(true));
    /// assert_eq!(c.segment_words("一個博物館位於香港。"), ["一", "個", "博物", "館", "位", "於", "香港", "。"]);
    /// assert_eq!(Cleaner::default().segment_words("一個博物館位於香港。"), ["一個", "博物館", "位於", "香港", "。"]);
    /// # }
    /// ```
    pub fn fine_words(mut self, on: bool) -> Options {
        self.fine_words = on;
        self
    }

    /// Chooses the converter behind the variants stage.
    pub fn backend(mut self, backend: Backend) -> Options {
        self.backend = backend;
        self
    }

    pub(crate) fn punct(&self) -> PunctOptions {
        PunctOptions { quotes: self.quotes, middle_dot: self.middle_dot }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profiles() {
        assert_eq!(Options::default(), Options::new(Profile::Hk));
        assert_eq!(Options::new(Profile::Tw).middle_dot, '‧');
        assert_eq!(Options::new(Profile::Cn).quotes, QuoteStyle::Curly);
        assert_eq!("TW".parse::<Profile>(), Ok(Profile::Tw));
        assert!("jp".parse::<Profile>().is_err());
    }

    #[test]
    fn stages() {
        let o = Options::default().only(&[Stage::Spacing, Stage::Hygiene]);
        assert!(o.runs(Stage::Spacing) && o.runs(Stage::Hygiene));
        assert!(!o.runs(Stage::Structure) && !o.runs(Stage::Punctuation));
        assert_eq!("punct".parse::<Stage>(), Ok(Stage::Punctuation));
        assert_eq!("variants".parse::<Stage>(), Ok(Stage::Variants));
        assert!("segment".parse::<Stage>().is_err());
    }

    #[cfg(feature = "serde")]
    #[test]
    fn serde_roundtrip() {
        let o = Options::new(Profile::Cn).cjk_latin_space(CjkLatinSpace::Pangu);
        let json = serde_json::to_string(&o).unwrap();
        assert!(json.contains("\"cjk_latin_space\":\"pangu\""), "{json}");
        let back: Options = serde_json::from_str(&json).unwrap();
        assert_eq!(back, o);
        let partial: Options = serde_json::from_str(r#"{"structure": false}"#).unwrap();
        assert_eq!(partial, Options::default().stage(Stage::Structure, false));
        // A profile named in the record brings its defaults, as `new` does.
        for (name, profile) in [("hk", Profile::Hk), ("tw", Profile::Tw), ("cn", Profile::Cn)] {
            let o: Options = serde_json::from_str(&format!(r#"{{"profile": "{name}"}}"#)).unwrap();
            assert_eq!(o, Options::new(profile), "{name}");
        }
        let o: Options = serde_json::from_str(r#"{"profile": "tw", "middle_dot": "·"}"#).unwrap();
        assert_eq!(o, Options::new(Profile::Tw).middle_dot('·'));
        let err = serde_json::from_str::<Options>(r#"{"profil": "tw"}"#).unwrap_err().to_string();
        assert!(err.contains("unknown field `profil`"), "{err}");
    }

    #[test]
    fn the_mainland_profile_keeps_characters() {
        assert_eq!(Options::new(Profile::Cn).variants, Variants::None);
        assert_eq!(Options::new(Profile::Hk).variants, Variants::Auto);
        assert_eq!(Options::new(Profile::Tw).variants, Variants::Auto);
    }
}
