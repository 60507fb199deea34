//! Clean Traditional Chinese text scraped from the web.
//!
//! # The problem
//!
//! Text that went through a word segmenter, a PDF extractor or a text
//! browser comes back like this:
//!
//! ```text
//! （ 香港 ， 2023年 11月 10日 ） 香港 生產 力促 進局 · 新型 工業化 （ 生產力局 · 新型 工業化 ）
//! 今天 公布 《 香港 人工智能 產業 發展 研究 》 主要 數據 ， 集中 研究 香港 人工智能 （ AI ） 產業 發
//! ```
//!
//! Chinese is written without spaces between words, so every space between
//! two ideographs is debris; so are the spaces a tokenizer puts inside
//! `49 %`, `4 . 0` or `U . S . News`. But the spaces in `RWTH Aachen Campus`
//! are real, and so is the line structure of a list. The page was also
//! hard-wrapped at about 100 columns, in the middle of words (`發` / `展`).
//!
//! zh-clean turns it back into
//!
//! ```text
//! （香港，2023年11月10日）香港生產力促進局·新型工業化（生產力局·新型工業化）今天公布《香港人工智能產業發展研究》主要數據，集中研究香港人工智能（AI）產業發展…
//! ```
//!
//! # Usage
//!
//! Build one [`Cleaner`] from [`Options`] and reuse it; it is immutable,
//! `Send` and `Sync`.
//!
//! ```
//! use zh_clean::{Cleaner, Options, Profile};
//!
//! let cleaner = Cleaner::new(Options::new(Profile::Hk));
//! let page = "（ 香港 ， 2023年 11月 10日 ） 香港 生產 力促 進局 今天 公布 《 香港 人工智能 產業 發展\n研究 》 ， 49 % 受訪 企業 與 德國 RWTH Aachen Campus 合作 。\n";
//! assert_eq!(
//!     cleaner.clean(page),
//!     "（香港，2023年11月10日）香港生產力促進局今天公布《香港人工智能產業發展研究》，49%受訪企業與德國RWTH Aachen Campus合作。\n",
//! );
//! ```
//!
//! [`Cleaner::clean_cow`] returns the input itself, without allocating, when
//! it is already clean:
//!
//! ```
//! use std::borrow::Cow;
//! let cleaner = zh_clean::Cleaner::default();
//! assert!(matches!(cleaner.clean_cow("香港生產力促進局今天公布研究結果。\n"), Cow::Borrowed(_)));
//! ```
//!
//! # The pipeline
//!
//! Each stage is a module with one job; all of them classify characters
//! through [`chars`].
//!
//! | stage | module | what it does |
//! |---|---|---|
//! | decode | [`decode`] | bytes → UTF-8, naming the offset of invalid input |
//! | hygiene | [`hygiene`] | line endings, invisible characters, Unicode spaces, NFC, radicals |
//! | structure | [`structure`] | paragraphs, list items, hard-wrap recovery |
//! | punctuation | [`punct`] | ASCII/fullwidth marks, quotes, dots, ellipses |
//! | spacing | [`spacing`] | removes spurious spaces, repairs tokenizer artifacts |
//! | variants | [`variants`] (engine: [`opencc`]) | Traditional/Simplified, Hong Kong/Taiwan forms |
//! | segmentation (on request) | `segment` (feature `segment`) | words, with jieba on a Simplified shadow |
//! | main content (on request) | [`content`] | article lines vs navigation, placeholders, repeats |
//!
//! Punctuation runs just before spacing on each paragraph, so that a mark it
//! makes fullwidth (`( PDF版 )` → `（ PDF版 ）`) sheds its spaces in the same
//! pass over the line.
//!
//! Around the pipeline: [`stream`] cleans a reader into a writer in bounded
//! memory (identical output), `jsonl` (feature `jsonl`) cleans fields of
//! JSON Lines records, [`stats`] counts what each stage did.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

use std::borrow::Cow;

mod bytes;
pub mod chars;
pub mod content;
mod doc;
mod edit;
mod error;
pub mod hygiene;
pub mod invariants;
#[cfg(feature = "jsonl")]
pub mod jsonl;
mod links;
pub mod mojibake;
pub mod opencc;
mod options;
pub mod punct;
mod radicals_table;
mod sink;
use sink::Sink;
#[cfg(feature = "segment")]
pub mod segment;
pub mod spacing;
pub mod stats;
pub mod stream;

pub use stats::Stats;
pub mod structure;
pub mod variants;

pub use doc::{ANALYSIS_WINDOW, DocParams, analysis_window};
pub use error::{Error, ErrorKind, ParseError};
pub use options::{Backend, Options, Profile, Stage};
pub use variants::{Script, Variants, detect_script};

// The README's examples are compiled and run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
pub use punct::QuoteStyle;
pub use spacing::CjkLatinSpace;

pub mod decode;

/// The cleaning pipeline, configured once and reused.
///
/// ```
/// use zh_clean::{Cleaner, Options, Profile};
/// let cleaner = Cleaner::new(Options::new(Profile::Cn));
/// assert_eq!(cleaner.clean("他 說 「 你好 」 。"), "他說“你好”。");
/// ```
#[derive(Debug, Clone)]
pub struct Cleaner {
    options: Options,
    converter: std::sync::Arc<dyn variants::Converter>,
    #[cfg(feature = "segment")]
    segmenter: std::sync::Arc<std::sync::OnceLock<segment::Segmenter>>,
}

impl Default for Cleaner {
    fn default() -> Self {
        Cleaner::new(Options::default())
    }
}

impl Cleaner {
    /// A cleaner with the given options.
    ///
    /// # Panics
    ///
    /// When `options.backend` is [`Backend::OpenccSys`] and the crate was
    /// built without the `opencc-sys` feature; [`Cleaner::try_new`] returns
    /// an error instead.
    pub fn new(options: Options) -> Cleaner {
        Cleaner::try_new(options).unwrap_or_else(|e| panic!("{e}"))
    }

    /// A cleaner with the given options, or why it cannot be built.
    pub fn try_new(options: Options) -> Result<Cleaner, Error> {
        let converter: std::sync::Arc<dyn variants::Converter> = match options.backend {
            Backend::Builtin => std::sync::Arc::new(variants::Builtin),
            // Every configuration the options use is opened now, so that
            // cleaning never meets one the library cannot open.
            #[cfg(feature = "opencc-sys")]
            Backend::OpenccSys => std::sync::Arc::new(variants::System::with(&options.configs())?),
            #[cfg(not(feature = "opencc-sys"))]
            Backend::OpenccSys => {
                return Err(Error::new(
                    ErrorKind::BackendNotBuilt,
                    "the opencc-sys backend needs zh-clean built with the `opencc-sys` feature",
                ));
            }
        };
        Ok(Cleaner {
            options,
            converter,
            #[cfg(feature = "segment")]
            segmenter: Default::default(),
        })
    }

    /// Uses `segmenter` (with its user dictionaries) for [`Cleaner::segment`]
    /// instead of the default one, which is built on first use. With
    /// [`Options::fine_words`], its words are cut to the treebank
    /// granularity whatever `segmenter` says.
    ///
    /// ```
    /// use zh_clean::{Cleaner, Options, segment::Segmenter};
    /// let mut s = Segmenter::new();
    /// s.add_word("香港博物館", None, None);
    /// let c = Cleaner::new(Options::default().fine_words(true)).with_segmenter(s);
    /// assert_eq!(c.segment_words("香港博物館有一個展覽"), ["香港博物館", "有", "一", "個", "展覽"]);
    /// ```
    #[cfg(feature = "segment")]
    pub fn with_segmenter(mut self, segmenter: segment::Segmenter) -> Cleaner {
        let segmenter = if self.options.fine_words { segmenter.fine(true) } else { segmenter };
        let cell = std::sync::OnceLock::new();
        let _ = cell.set(segmenter);
        self.segmenter = std::sync::Arc::new(cell);
        self
    }

    #[cfg(feature = "segment")]
    fn segmenter(&self) -> &segment::Segmenter {
        self.segmenter.get_or_init(|| segment::Segmenter::new().fine(self.options.fine_words))
    }

    /// Cleans `text` and cuts the result into words.
    ///
    /// ```
    /// use zh_clean::segment::TokenKind;
    /// let s = zh_clean::Cleaner::default().segment("香港 生產 力促 進局 公布 研究 。");
    /// assert_eq!(s.text, "香港生產力促進局公布研究。");
    /// let words: Vec<&str> = s.tokens.iter().map(|t| t.text(&s.text)).collect();
    /// assert_eq!(words, ["香港", "生產力", "促進", "局", "公布", "研究", "。"]);
    /// assert_eq!(s.tokens[6].kind, TokenKind::Punct);
    /// ```
    #[cfg(feature = "segment")]
    pub fn segment(&self, text: &str) -> Segmented {
        let text = self.clean(text);
        let tokens = self.segmenter().segment(&text);
        Segmented { text, tokens }
    }

    /// The words and punctuation of already-cleaned text (whitespace
    /// dropped), with this cleaner's segmenter.
    ///
    /// ```
    /// let c = zh_clean::Cleaner::default();
    /// assert_eq!(c.segment_words("香港生產力促進局。"), ["香港", "生產力", "促進", "局", "。"]);
    /// ```
    #[cfg(feature = "segment")]
    pub fn segment_words<'t>(&self, cleaned: &'t str) -> Vec<&'t str> {
        self.segmenter().words(cleaned)
    }

    /// Cleans `text` and writes each line's words separated by `delimiter`
    /// (whitespace tokens dropped, blank lines kept): the `--segment` output.
    ///
    /// ```
    /// let c = zh_clean::Cleaner::default();
    /// assert_eq!(c.clean_segmented("香港 生產 力促 進局 。\n\nRWTH Aachen\n", "/"), "香港/生產力/促進/局/。\n\nRWTH/Aachen\n");
    /// ```
    #[cfg(feature = "segment")]
    pub fn clean_segmented(&self, text: &str, delimiter: &str) -> String {
        let clean = self.clean_cow(text);
        let seg = self.segmenter();
        let mut out = String::with_capacity(clean.len() + clean.len() / 4);
        for (i, line) in clean.split('\n').enumerate() {
            if i > 0 {
                out.push('\n');
            }
            out.push_str(&seg.join(line, delimiter));
        }
        out
    }

    /// [`Cleaner::clean_segmented`] on a stream: the text is cleaned piece
    /// by piece ([`stream::clean_stream`]) and each cleaned line segmented
    /// as it comes ([`segment::SegmentingWriter`]), so that memory stays
    /// bounded whatever the input's size; the output is the same.
    ///
    /// ```
    /// let c = zh_clean::Cleaner::default();
    /// let mut out = Vec::new();
    /// let opts = zh_clean::stream::StreamOptions::default();
    /// c.clean_segmented_stream("香港 生產 力促 進局 。\n\nRWTH Aachen\n".as_bytes(), &mut out, "/", &opts).unwrap();
    /// assert_eq!(String::from_utf8(out).unwrap(), "香港/生產力/促進/局/。\n\nRWTH/Aachen\n");
    /// ```
    #[cfg(feature = "segment")]
    pub fn clean_segmented_stream<R: std::io::Read, W: std::io::Write>(
        &self,
        reader: R,
        writer: W,
        delimiter: &str,
        opts: &stream::StreamOptions,
    ) -> Result<Stats, stream::StreamError> {
        let mut seg = segment::SegmentingWriter::new(writer, self.segmenter(), delimiter);
        let stats = stream::clean_stream(self, reader, &mut seg, opts)?;
        seg.finish().map_err(stream::StreamError::Write)?;
        Ok(stats)
    }

    /// The options this cleaner was built with.
    pub fn options(&self) -> &Options {
        &self.options
    }

    /// Cleans `text` and returns a new string.
    ///
    /// ```
    /// let cleaner = zh_clean::Cleaner::default();
    /// assert_eq!(cleaner.clean("香港 AI 產業 發展 ， 49 % 受訪"), "香港AI產業發展，49%受訪");
    /// ```
    pub fn clean(&self, text: &str) -> String {
        self.clean_cow(text).into_owned()
    }

    /// Cleans `text`, borrowing it when nothing changes.
    ///
    /// The output ends with a newline exactly when the input does; runs of
    /// blank lines become one blank line, and leading and trailing blank
    /// lines are dropped.
    pub fn clean_cow<'a>(&self, text: &'a str) -> Cow<'a, str> {
        let out = self.passes(text, None);
        self.filter_content(out)
    }

    /// The passes of the pipeline over `text`: one, and more while the
    /// output is not settled (see [`Cleaner::settled`]). An output that
    /// is the input, borrowed, is settled: a second pass would see the same
    /// text.
    fn passes<'a>(&self, text: &'a str, mut stats: Option<&mut Stats>) -> Cow<'a, str> {
        let mut out = self.pass(text, stats.as_deref_mut());
        for _ in 1..MAX_PASSES {
            if matches!(out, Cow::Borrowed(_)) || self.settled(&out) {
                break;
            }
            let mut more = Stats::default();
            match self.pass(&out, stats.is_some().then_some(&mut more)) {
                Cow::Owned(again) if again != *out => {
                    if let Some(s) = stats.as_deref_mut() {
                        s.then(&more);
                    }
                    out = Cow::Owned(again);
                }
                _ => break,
            }
        }
        out
    }

    /// One pass of the pipeline over `text`. With `stats`, counts what each
    /// stage did.
    fn pass<'a>(&self, text: &'a str, mut stats: Option<&mut Stats>) -> Cow<'a, str> {
        let (hygienic, encoding_repairs, hygiene_changes) = self.prepare(text);
        let params = self.params(analysis_window(&hygienic));
        if stream::has_long_block(&hygienic, stream::Blocks::of(self.options.structure, &params.layout)) {
            // A block longer than `stream::MAX_BLOCK`: cleaned through the
            // stream, whose cuts keep memory bounded, so that whole and
            // streamed documents agree.
            let mut out = Vec::with_capacity(text.len());
            let opts = stream::StreamOptions { lossy: true, stats: stats.is_some(), ..Default::default() };
            let pass_stats =
                stream::clean_stream_once(self, text.as_bytes(), &mut out, &opts).unwrap_or_default();
            if let Some(s) = stats {
                s.add(&Stats { bytes_in: 0, bytes_out: 0, lines_in: 0, lines_out: 0, ..pass_stats });
            }
            let out =
                String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
            return Cow::Owned(out);
        }
        if let Some(s) = stats.as_deref_mut() {
            s.encoding_repairs += encoding_repairs;
            s.hygiene_changes += hygiene_changes;
        }
        let mut sink = Sink::new(text);
        self.render(&hygienic, &params, &mut sink, stats);
        sink.finish(hygienic.ends_with('\n'))
    }

    /// Whether a cleaned text `out` is settled: cleaning it again would
    /// change nothing, as far as the document's decisions go. A second pass
    /// reads the output's own line widths and gaps, which the first pass
    /// changed (`.` became `。`, spaces went, lines were joined, a wide gap
    /// became one space): so it may find wrapping where the input showed
    /// none, or read a join (`sqlite3` + `.connect`) as tokenizer debris.
    /// An output that still reads as wrapped or as spaced text is cleaned
    /// again, until a pass changes nothing, [`MAX_PASSES`] passes in all:
    /// cleaning then gives its own output back. Text from real tools
    /// almost never needs it; the check is a look at the output's first
    /// [`ANALYSIS_WINDOW`] bytes.
    ///
    /// An explicit conversion ([`Options::convert`]) is a one-way
    /// transformation, not a form text settles in (`s2t` of Traditional
    /// text changes it again): with one, a document gets one pass.
    pub(crate) fn settled(&self, out: &str) -> bool {
        let o = &self.options;
        if o.variants_stage && o.convert.is_some() {
            return true;
        }
        let window = analysis_window(out);
        let wrapped = || structure::may_read_wrapped(window) && structure::analyze(window).wrapped;
        // (Without hygiene, other spaces than `' '` and `\t` may be left.)
        let spaced = || {
            (!o.hygiene || spacing::may_read_spaced(window))
                && spacing::Spacer::new(&spacing::DocStats::measure(window), o.cjk_latin_space).is_spaced()
        };
        !((o.structure && wrapped()) || (o.spacing && spaced()))
    }

    /// The `main_content` and `dedupe` options, on cleaned text.
    fn filter_content<'a>(&self, cleaned: Cow<'a, str>) -> Cow<'a, str> {
        let filtered = if self.options.main_content {
            content::main_content(&cleaned)
        } else if self.options.dedupe {
            content::dedupe(&cleaned)
        } else {
            return cleaned;
        };
        match filtered {
            Cow::Borrowed(_) => cleaned,
            Cow::Owned(s) => Cow::Owned(s),
        }
    }

    /// The first two stages, as the options ask: the encoding repair, then
    /// hygiene (which would remove the C1 controls and no-break spaces a
    /// repair reads). Returns the text and how many spans and characters
    /// each changed.
    pub(crate) fn prepare<'a>(&self, text: &'a str) -> (Cow<'a, str>, usize, usize) {
        prepare_text(text, self.options.encoding, self.options.hygiene)
    }

    /// Whether the options need the whole document at once (main-content
    /// extraction and deduplication look at all of it).
    pub fn needs_whole_text(&self) -> bool {
        self.options.main_content || self.options.dedupe
    }

    /// The document-level decisions, made from the beginning of a document
    /// (after hygiene): the first [`ANALYSIS_WINDOW`] bytes, cut at a line
    /// end. Whole documents and streamed ones are decided alike. See
    /// [`DocParams::decide`].
    pub fn params(&self, window: &str) -> DocParams {
        DocParams::decide(&self.options, window)
    }

    /// Writes the cleaned form of `hygienic` (text after the hygiene stage)
    /// to `sink`, without the final newline.
    fn render(&self, hygienic: &str, params: &DocParams, sink: &mut Sink<'_>, mut stats: Option<&mut Stats>) {
        let o = &self.options;
        let spacer = spacing::Spacer::new(&params.stats, o.cjk_latin_space);
        let punct = o.punct();
        if o.structure {
            let groups = structure::split_with(hygienic, params.layout, &params.stats, &params.vocabulary);
            for group in &groups {
                for (ui, unit) in group.iter().enumerate() {
                    sink.unit(ui == 0);
                    if let Some(s) = stats.as_deref_mut() {
                        match unit.kind {
                            structure::UnitKind::Paragraph => s.paragraphs += 1,
                            structure::UnitKind::ListItem => s.list_items += 1,
                            structure::UnitKind::Heading => s.headings += 1,
                            structure::UnitKind::Code => s.code_blocks += 1,
                        }
                        if unit.kind != structure::UnitKind::Code {
                            s.lines_joined += unit.lines - 1;
                        }
                    }
                    if unit.kind == structure::UnitKind::Code {
                        // Verbatim: no later stage touches code.
                        sink.push(&unit.body);
                        continue;
                    }
                    sink.push(&unit.marker);
                    // Joined lines may meet as a letter and a mark.
                    let body = match &unit.body {
                        Cow::Owned(joined) if o.hygiene => hygiene::in_nfc(joined),
                        body => Cow::Borrowed(body.as_ref()),
                    };
                    sink.push(&self.fix_line(&body, o, &punct, &spacer, params.script, stats.as_deref_mut()));
                }
            }
        } else {
            let body = hygienic.strip_suffix('\n').unwrap_or(hygienic);
            for line in body.split('\n') {
                sink.unit(false);
                let line = structure::without_ideographic_indent(line);
                sink.push(&self.fix_line(line, o, &punct, &spacer, params.script, stats.as_deref_mut()));
            }
        }
    }

    /// Cleans one piece of a document with decisions made beforehand (see
    /// [`Cleaner::params`]); `hygienic` has been through the hygiene stage.
    /// No final newline is written.
    pub(crate) fn render_piece(
        &self,
        hygienic: &str,
        params: &DocParams,
        out: &mut String,
        stats: Option<&mut Stats>,
    ) {
        let mut sink = Sink::new("");
        self.render(hygienic, params, &mut sink, stats);
        out.push_str(&sink.finish(false));
    }

    /// [`Cleaner::clean`], also counting what each stage did.
    ///
    /// ```
    /// let (out, stats) = zh_clean::Cleaner::default().clean_with_stats("香港 生產 力 局 , 头发\u{200B}\n");
    /// assert_eq!(out, "香港生產力局，頭髮\n");
    /// assert_eq!((stats.hygiene_changes, stats.spaces_removed, stats.characters_converted), (1, 5, 2));
    /// ```
    pub fn clean_with_stats(&self, text: &str) -> (String, Stats) {
        let mut stats = Stats::default();
        let out = self.passes(text, Some(&mut stats));
        let out = self.filter_content(out).into_owned();
        stats.add_io(text, &out);
        (out, stats)
    }

    /// Punctuation, spacing and variants on one paragraph or line.
    fn fix_line<'b>(
        &self,
        line: &'b str,
        o: &Options,
        punct: &punct::PunctOptions,
        spacer: &spacing::Spacer,
        script: Script,
        mut stats: Option<&mut Stats>,
    ) -> Cow<'b, str> {
        let mut text = Cow::Borrowed(line);
        if o.punctuation {
            let before = stats.is_some().then(|| text.to_string());
            text = then(text, |t| punct::normalize(t, punct));
            if let (Some(s), Some(b)) = (stats.as_deref_mut(), before) {
                s.punctuation_changed += stats::changed_chars(&b, &text);
            }
        }
        if o.spacing {
            let before = stats::spaces(&text);
            text = then(text, |t| spacer.fix(t));
            if let Some(s) = stats.as_deref_mut() {
                s.spaces_removed += before.saturating_sub(stats::spaces(&text));
            }
        }
        if o.hygiene {
            text = hygiene::renormalize(text);
        }
        if o.variants_stage {
            let before = stats.is_some().then(|| text.to_string());
            text = then(text, |t| match o.convert {
                Some(config) => self.converter.convert(config, t),
                None => variants::apply(o.variants, o.profile, script, self.converter.as_ref(), t),
            });
            if let (Some(s), Some(b)) = (stats, before) {
                s.characters_converted += stats::changed_chars(&b, &text);
            }
        }
        text
    }
}

/// How many passes of the pipeline a document gets at most (see
/// `Cleaner::settled`): nearly every document is settled after the first.
pub const MAX_PASSES: usize = 10;

/// Cleaned text cut into tokens; see [`Cleaner::segment`].
#[cfg(feature = "segment")]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segmented {
    /// The cleaned text.
    pub text: String,
    /// Tokens covering `text`, with byte ranges into it.
    pub tokens: Vec<segment::Token>,
}

/// Applies a stage to text that may already be owned, keeping it borrowed
/// when both are.
fn then<'b>(text: Cow<'b, str>, stage: impl for<'c> Fn(&'c str) -> Cow<'c, str>) -> Cow<'b, str> {
    match text {
        Cow::Borrowed(b) => stage(b),
        Cow::Owned(s) => match stage(&s) {
            Cow::Borrowed(_) => Cow::Owned(s),
            Cow::Owned(t) => Cow::Owned(t),
        },
    }
}

/// `f` applied to `text` when `on`, keeping the borrow when `f` changes
/// nothing; with `f`'s count.
fn chain(text: Cow<'_, str>, on: bool, f: fn(&str) -> (Cow<'_, str>, usize)) -> (Cow<'_, str>, usize) {
    if !on {
        return (text, 0);
    }
    match text {
        Cow::Borrowed(t) => f(t),
        Cow::Owned(t) => {
            let (out, n) = f(&t);
            let changed = match out {
                Cow::Borrowed(_) => None,
                Cow::Owned(o) => Some(o),
            };
            (Cow::Owned(changed.unwrap_or(t)), n)
        }
    }
}

/// The encoding repair, then hygiene, read once where both run: the
/// single-byte repair passes text without its lead bytes by at once (one
/// `memchr`), and the double-byte repair's test for lines it would look at
/// runs inside hygiene's scan; only when that scan meets one does the
/// repair run, on the text before hygiene, and hygiene after it. Returns
/// the text, the spans repaired, the characters hygiene changed, and
/// whether the text may have a line the double-byte repair looks at (the
/// scan knows when hygiene's changes made none).
fn repair_then_hygiene(text: &str, encoding: bool, hygiene: bool) -> (Cow<'_, str>, usize, usize, bool) {
    if !(encoding && hygiene) {
        let (repaired, spans) = chain(Cow::Borrowed(text), encoding, mojibake::repair_counted);
        let (hygienic, changes) = chain(repaired, hygiene, hygiene::clean_counted);
        return (hygienic, spans, changes, true);
    }
    let (single, spans) = chain(Cow::Borrowed(text), true, mojibake::single_byte_counted);
    let single = match single {
        Cow::Borrowed(t) => match hygiene::clean_counted_watching(t) {
            Some((out, changes, suspect)) => return (out, spans, changes, suspect),
            None => Cow::Borrowed(t),
        },
        Cow::Owned(t) => {
            let watched = hygiene::clean_counted_watching(&t).map(|(out, n, suspect)| match out {
                Cow::Borrowed(_) => (None, n, suspect),
                Cow::Owned(o) => (Some(o), n, suspect),
            });
            match watched {
                Some((out, changes, suspect)) => {
                    return (Cow::Owned(out.unwrap_or(t)), spans, changes, suspect);
                }
                None => Cow::Owned(t),
            }
        }
    };
    let (repaired, more) = chain(single, true, mojibake::cjk::repair_counted);
    let (hygienic, changes) = chain(repaired, true, hygiene::clean_counted);
    (hygienic, spans + more, changes, true)
}

/// The encoding repair, then hygiene (which would remove the C1 controls
/// and no-break spaces a repair reads); and when hygiene changed the text,
/// the repair once more, on what hygiene revealed (mojibake that controls
/// or zero-width characters had cut, Unicode spaces that stood for no-break
/// spaces), so that cleaned text reads alike the second time: the
/// double-byte repair only where hygiene's scan says it may act. Returns
/// the text, the spans repaired and the characters hygiene changed.
pub(crate) fn prepare_text(text: &str, encoding: bool, hygiene: bool) -> (Cow<'_, str>, usize, usize) {
    let (hygienic, spans, changes, suspect) = repair_then_hygiene(text, encoding, hygiene);
    if changes == 0 || !encoding {
        return (hygienic, spans, changes);
    }
    let again = if suspect { mojibake::repair_counted } else { mojibake::single_byte_counted };
    let (again, more) = chain(hygienic, encoding, again);
    if more == 0 {
        return (again, spans, changes);
    }
    let (out, changes_again) = chain(again, hygiene, hygiene::clean_counted);
    (out, spans + more, changes + changes_again)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Read once, the repair and hygiene give what the repair and then
    /// hygiene give (the unfused order is the oracle).
    #[test]
    fn repair_then_hygiene_read_once_is_the_two_in_order() {
        let gbk = |s: &str| encoding_rs::GBK.decode_without_bom_handling(s.as_bytes()).0.into_owned();
        let cp1252 =
            |s: &str| encoding_rs::WINDOWS_1252.decode_without_bom_handling(s.as_bytes()).0.into_owned();
        let cases = [
            "已經乾淨的文字。\n".to_owned(),
            format!("標題\r\n{}\u{00A0}正文。", gbk("香港生產力促進局")),
            format!("{}\n{}", cp1252("香港生產力促進局"), gbk("公布研究結果")),
            format!("{}\u{200B}{}", gbk("香港生產"), cp1252("力促進局")),
            "☆ 評分\r\n☆☆ 好".to_owned(),
        ];
        for t in &cases {
            let (repaired, spans) = mojibake::repair_counted(t);
            let (ordered, changes) = hygiene::clean_counted(&repaired);
            let (fused, fused_spans, fused_changes, suspect) = repair_then_hygiene(t, true, true);
            // What it says of the output is what the repair's test says,
            // or not known.
            assert!(suspect || !mojibake::cjk::suspect(&fused), "{t:?}");
            assert_eq!(
                (fused.as_ref(), fused_spans, fused_changes),
                (ordered.as_ref(), spans, changes),
                "{t:?}"
            );
        }
        assert!(matches!(repair_then_hygiene("乾淨。", true, true).0, Cow::Borrowed(_)));
    }

    #[test]
    fn settled_outputs() {
        let c = Cleaner::default();
        // Clean text, one paragraph a line.
        assert!(c.settled("香港生產力促進局今天公布調查結果。\n第二段。\n"));
        // Text that still reads as spaced.
        assert!(!c.settled("香港 生產 力促 進局 今天 公布"));
        // Text that reads as wrapped: lines of one width that go on.
        let wrapped = "香港生產力促進局今天公布一項關於人工智能的調查結果，\n\
                       顯示本地企業對生成式人工智能的應用正在迅速增長，而且\n\
                       大部分受訪企業表示計劃在未來一年增加相關的投資預算，\n\
                       以提升營運效率和競爭力。";
        assert!(!c.settled(wrapped));
        // Without the stages that would read it so, settled.
        let mut o = Options::new(Profile::Hk);
        o.structure = false;
        assert!(Cleaner::new(o.clone()).settled(wrapped));
        o.spacing = false;
        assert!(Cleaner::new(o).settled("香港 生產 力促 進局 今天 公布"));
        // An explicit conversion is one pass.
        let mut o = Options::new(Profile::Hk);
        o.convert = Some(opencc::Config::S2t);
        assert!(Cleaner::new(o).settled("香港 生產 力促 進局 今天 公布"));
    }

    #[test]
    fn cleaner_is_send_and_sync() {
        fn check<T: Send + Sync>() {}
        check::<Cleaner>();
    }

    #[test]
    fn output_ends_with_newline_iff_input_does() {
        let c = Cleaner::default();
        assert_eq!(c.clean("香港 生產\n"), "香港生產\n");
        assert_eq!(c.clean("香港 生產"), "香港生產");
        assert_eq!(c.clean("\n\n香港\n\n\n九龍\n\n"), "香港\n\n九龍\n");
        assert_eq!(c.clean(""), "");
        assert_eq!(c.clean(" \n\t\n"), "");
    }

    #[test]
    fn clean_text_is_borrowed() {
        let c = Cleaner::default();
        for s in ["香港。\n\n九龍。\n", "• 甲\n• 乙", "RWTH Aachen Campus", "段落\n\n\n"] {
            assert!(matches!(c.clean_cow(s), Cow::Borrowed(_)), "{s:?}");
        }
    }

    #[test]
    fn without_structure_lines_are_kept() {
        let c = Cleaner::new(Options::default().stage(Stage::Structure, false));
        assert_eq!(c.clean("香港 生\n產\n\n\n九 龍"), "香港生\n產\n\n\n九龍");
    }
}
