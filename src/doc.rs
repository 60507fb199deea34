//! The document's decisions: made once, from its beginning.
//!
//! Some questions have no answer in a line, only in a document: is it
//! spuriously spaced (a segmenter's output) or clean? Does it put spaces
//! between CJK and Latin text by habit? Was it hard-wrapped, at what width,
//! by a wrapper that breaks inside words? Which script is it in? zh-clean
//! answers them once, from the first [`ANALYSIS_WINDOW`] bytes after
//! hygiene, and every unit of the document is cleaned under the same
//! answers ([`DocParams`]). A streamed document is decided from the same
//! window as a whole one, so the two agree.
//!
//! The evidence is gathered by the stage that understands it: the gaps by
//! [`crate::spacing::DocStats`], the line widths by
//! [`crate::structure::analyze`], the script by [`crate::detect_script`].

use std::sync::Arc;

use crate::variants::{Script, Variants, detect_script};
use crate::{Options, spacing, structure};

/// How many bytes at the start of a document decide its document-level
/// parameters ([`DocParams`]).
pub const ANALYSIS_WINDOW: usize = 1 << 20;

/// The start of `text` that decides its parameters: at most
/// [`ANALYSIS_WINDOW`] bytes, ending at a line end when it is cut.
///
/// ```
/// let text = "第一行\n".repeat(100_000);
/// let window = zh_clean::analysis_window(&text);
/// assert!(window.len() <= zh_clean::ANALYSIS_WINDOW && window.ends_with('\n'));
/// assert_eq!(zh_clean::analysis_window("短\n"), "短\n");
/// ```
pub fn analysis_window(text: &str) -> &str {
    if text.len() <= ANALYSIS_WINDOW {
        return text;
    }
    let mut end = ANALYSIS_WINDOW;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    match text[..end].rfind('\n') {
        Some(nl) => &text[..nl + 1],
        None => &text[..end],
    }
}

/// Decisions about a whole document, made once from its beginning: whether
/// it is spuriously spaced, how it is wrapped, which script it is in.
#[derive(Debug, Clone, PartialEq)]
pub struct DocParams {
    /// Whitespace statistics (spaced or clean, CJK/Latin habit, wide gaps).
    pub stats: spacing::DocStats,
    /// Hard-wrap width and kind.
    pub layout: structure::Layout,
    /// The Latin words of a wrapped document (empty otherwise): they decide
    /// whether a Latin word broken across lines is rejoined.
    pub vocabulary: Arc<structure::Vocabulary>,
    /// The script, when the variants mode needs it.
    pub script: Script,
}

impl DocParams {
    /// Decides a document under `options` from `window`, its beginning
    /// after hygiene (see [`analysis_window`]). Only what the options use
    /// is looked for: no layout without the structure stage, no script
    /// unless a regional variants mode asks for it.
    ///
    /// ```
    /// use zh_clean::{DocParams, Options};
    /// let p = DocParams::decide(&Options::default(), "香港 生產 力 促進 局 的 報告\n");
    /// assert!(p.stats.is_spaced() && !p.layout.wrapped);
    /// ```
    pub fn decide(options: &Options, window: &str) -> DocParams {
        let o = options;
        let stats = spacing::DocStats::measure(window);
        let layout = if o.structure { structure::analyze(window) } else { structure::Layout::UNWRAPPED };
        let script = match (o.variants_stage, o.convert, o.variants) {
            (true, None, Variants::Hk | Variants::Tw | Variants::Twp) => detect_script(window).script,
            _ => Script::Traditional,
        };
        let vocabulary = Arc::new(if layout.wrapped {
            structure::Vocabulary::for_junctions(window)
        } else {
            structure::Vocabulary::default()
        });
        DocParams { stats, layout, vocabulary, script }
    }
}
