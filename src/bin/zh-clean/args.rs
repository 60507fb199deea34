//! The command line: every flag, its help, and the combinations that are
//! refused because a flag would do nothing or could overwrite data.

use std::path::PathBuf;

use clap::{Parser, ValueEnum};
use serde::{Deserialize, Serialize};
use zh_clean::decode::{EncodingChoice, UnknownEncoding};
use zh_clean::jsonl::OnError;
use zh_clean::opencc::Config;
use zh_clean::{Backend, CjkLatinSpace, Profile, QuoteStyle, Variants};

pub const STAGES_HELP: &str = "\
Stages, in pipeline order (names for --only and --skip):
  encoding     mojibake repaired: UTF-8 read as Windows-1252 or Latin-1, once or more,
               whole or in spans (é¦™æ¸¯ -> 香港); UTF-8 read as GBK (浣犲ソ -> 你好),
               Big5 read as GBK and the reverse; clean text untouched.
  hygiene      CRLF/CR -> LF; BOM, zero-width characters and control characters removed
               (emoji ZWJ sequences kept); NBSP and other Unicode spaces -> ' ';
               ideographic-space indents dropped; NFC; compatibility ideographs and
               Kangxi radicals -> unified ideographs.
  structure    paragraphs (blank-line separated) and list items (•, ☆, -, 1., (1), 一、 ...);
               hard-wrapped lines re-joined using the wrap width inferred from the
               line widths. Output: a paragraph or list item per line, a blank line
               between paragraphs.
  punctuation  ASCII , . : ; ! ? ( ) between CJK text -> fullwidth; fullwidth letters and
               digits -> halfwidth; quotes by profile; ... -> ……; middle dots unified.
  spacing      spaces between ideographs and around CJK punctuation removed; spaces
               between CJK and Latin text by --cjk-latin-space; tokenizer artifacts
               repaired (49 % -> 49%, 4 . 0 -> 4.0, U . S . News -> U.S. News);
               real spaces between Latin words kept.
  variants     Traditional/Simplified and regional forms by --variants: auto converts
               only Simplified-only spans (头发 -> 頭髮) and leaves Traditional text
               alone; hk/tw/twp/cn standardise fully (OpenCC s2hk/t2hk, s2tw/t2tw,
               s2twp, t2s). --convert runs one OpenCC configuration instead;
               `--only variants --convert s2hk` runs that conversion alone.
               The cn profile leaves characters alone unless --variants is given.

Directories (-r) are walked as ripgrep walks them: hidden files and directories,
files matched by .gitignore/.ignore files, binary files and symbolic links (unless -L)
are skipped; only text files are selected (txt, markdown, rst, org, and with --jsonl
JSON Lines), also compressed (.gz, .zst). --type and --glob choose others.

`zh-clean --generate man|bash|zsh|fish|elvish|powershell` prints a man page or
shell completions.

Exit status: 0 on success; 1 with --check when an input would change; 2 on bad
usage or an input that could not be read, decoded or written.";

/// Clean Traditional Chinese text scraped from the web.
///
/// Reads the FILEs (or standard input) and writes the cleaned text to
/// standard output: spurious spaces removed, hard-wrapped lines re-joined,
/// punctuation and Unicode normalised.
#[derive(Debug, Parser)]
#[command(name = "zh-clean", version, about, after_help = STAGES_HELP)]
pub struct Args {
    /// Input files (and directories with -r); standard input when none is
    /// given (or for `-`).
    pub files: Vec<PathBuf>,

    /// Regional standard: quotes, middle dots, and whether characters are
    /// converted by default [default: hk].
    #[arg(long, value_enum, help_heading = "Cleaning")]
    pub profile: Option<Profile>,

    /// Run only these stages (comma-separated).
    #[arg(
        long,
        value_delimiter = ',',
        value_name = "STAGES",
        conflicts_with = "skip",
        help_heading = "Cleaning"
    )]
    pub only: Option<Vec<String>>,

    /// Skip these stages (comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "STAGES", help_heading = "Cleaning")]
    pub skip: Option<Vec<String>>,

    /// Spaces between CJK and Latin letters/digits: auto removes them in
    /// spuriously spaced documents and keeps them in clean ones [default: auto].
    #[arg(long, value_enum, help_heading = "Cleaning")]
    pub cjk_latin_space: Option<CjkLatinSpace>,

    /// Quotation marks for CJK text [default: from the profile].
    #[arg(long, value_enum, help_heading = "Cleaning")]
    pub quotes: Option<QuoteStyle>,

    /// Character variants: auto (Simplified-only spans to Traditional), hk,
    /// tw, twp (Taiwan with phrases), cn (Simplified) or none [default: auto;
    /// none with --profile cn].
    #[arg(long, value_enum, help_heading = "Cleaning")]
    pub variants: Option<Variants>,

    /// Run one OpenCC conversion instead of --variants: s2t, t2s, s2tw,
    /// tw2s, s2hk, hk2s, s2twp, tw2sp, s2hkp, hk2sp, t2tw, tw2t, t2hk, hk2t,
    /// t2jp, jp2t.
    #[arg(long, value_name = "CONFIG", value_parser = parse_config, conflicts_with = "variants", help_heading = "Cleaning")]
    pub convert: Option<Config>,

    /// Converter for the variants stage: builtin (pure Rust) or opencc-sys
    /// (the C++ OpenCC library; needs the `opencc-sys` feature) [default: builtin].
    #[arg(long, value_enum, help_heading = "Cleaning")]
    pub backend: Option<Backend>,

    /// Keep only the article: drop navigation menus, link rows, image
    /// placeholders, footers and repeated blocks.
    #[arg(long, help_heading = "Cleaning")]
    pub main_content: bool,

    /// Drop repeated blocks (keeping the first), nothing else.
    #[arg(long, help_heading = "Cleaning")]
    pub dedupe: bool,

    /// Write the cleaned text cut into words (jieba on a Simplified shadow
    /// of the text), separated by --delimiter.
    #[arg(long, help_heading = "Segmentation")]
    pub segment: bool,

    /// Separator between words with --segment [default: " "].
    #[arg(long, requires = "segment", help_heading = "Segmentation")]
    pub delimiter: Option<String>,

    /// A jieba user dictionary (`word [freq] [tag]` per line, Traditional or
    /// Simplified) for --segment and --segment-field; may be repeated.
    #[arg(long, value_name = "FILE", help_heading = "Segmentation")]
    pub user_dict: Vec<PathBuf>,

    /// With --segment or --segment-field: cut words as the Universal
    /// Dependencies treebanks do (一 個, 博物 館, 位 於) instead of jieba's
    /// coarser words (一個, 博物館, 位於); user dictionary words stay whole.
    #[arg(long, help_heading = "Segmentation")]
    pub fine_words: bool,

    /// With --segment-field: words only, no punctuation tokens.
    #[arg(long, requires = "segment_field", help_heading = "Segmentation")]
    pub words_only: bool,

    /// Input encoding: utf-8, big5 (Big5-HKSCS), gb18030, utf-16le, utf-16be,
    /// another WHATWG encoding label (shift_jis, windows-1252, ...), or auto
    /// (byte-order mark, else UTF-8 when valid, else detected; a guess that
    /// is not sure is reported) [default: utf-8].
    #[arg(long, value_parser = parse_encoding, value_name = "ENCODING", help_heading = "Input")]
    pub encoding: Option<EncodingChoice>,

    /// Replace bytes invalid in the input encoding with U+FFFD instead of
    /// failing.
    #[arg(long, help_heading = "Input")]
    pub lossy: bool,

    /// Decompress gzip and zstd input recognised by its first bytes (also
    /// standard input). Files named *.gz and *.zst are always decompressed.
    #[arg(short = 'z', long, help_heading = "Input")]
    pub decompress: bool,

    /// Read JSON Lines and clean the --field string fields of each record;
    /// every other byte of the record stays as it is.
    #[arg(long, help_heading = "JSON Lines")]
    pub jsonl: bool,

    /// With --jsonl: a field to clean (`meta.body` for nested objects,
    /// `items[].text` and `tags[]` for arrays); may be repeated [default: text].
    #[arg(long, value_name = "PATH", requires = "jsonl", help_heading = "JSON Lines")]
    pub field: Vec<String>,

    /// With --jsonl: what to do with a line that is not a JSON object or not
    /// valid UTF-8: fail (exit 2, naming the line) or skip (pass it through,
    /// counted) [default: fail].
    #[arg(long, value_enum, requires = "jsonl", help_heading = "JSON Lines")]
    pub on_error: Option<OnError>,

    /// With --jsonl: write the words of the first --field into this new
    /// field, as an array.
    #[arg(long, value_name = "NAME", requires = "jsonl", help_heading = "JSON Lines")]
    pub segment_field: Option<String>,

    /// Write each FILE's cleaned text to DIR under the same relative path
    /// (atomically) instead of to standard output.
    #[arg(long, value_name = "DIR", help_heading = "Output")]
    pub output_dir: Option<PathBuf>,

    /// Replace each FILE with its cleaned text (atomically: a temporary file
    /// in the same directory, synced, then renamed).
    #[arg(long, conflicts_with = "output_dir", help_heading = "Output")]
    pub in_place: bool,

    /// Print the names of the inputs that cleaning would change and exit 1
    /// if there are any (0 when all are clean); writes nothing else.
    #[arg(long, conflicts_with_all = ["in_place", "output_dir", "diff", "segment"], help_heading = "Output")]
    pub check: bool,

    /// Print a unified diff of what cleaning changes instead of the text;
    /// never writes files.
    #[arg(long, conflicts_with_all = ["segment", "jsonl", "in_place", "output_dir"], help_heading = "Output")]
    pub diff: bool,

    /// Colour in --diff output: auto (when standard output is a terminal),
    /// always or never [default: auto].
    #[arg(long, value_enum, requires = "diff", help_heading = "Output")]
    pub color: Option<ColorArg>,

    /// Print counts of what each stage did to standard error.
    #[arg(long, help_heading = "Output")]
    pub stats: bool,

    /// Format of --stats: text or json [default: text].
    #[arg(long, value_enum, value_name = "FORMAT", requires = "stats", help_heading = "Output")]
    pub stats_format: Option<StatsFormat>,

    /// Walk directories given as FILE and clean the text files in them.
    #[arg(short, long, help_heading = "Directories")]
    pub recursive: bool,

    /// With -r: follow symbolic links.
    #[arg(short = 'L', long, requires = "recursive", help_heading = "Directories")]
    pub follow: bool,

    /// With -r: also walk hidden files and directories.
    #[arg(long, requires = "recursive", help_heading = "Directories")]
    pub hidden: bool,

    /// With -r: do not honour .gitignore, .ignore and similar files.
    #[arg(long, requires = "recursive", help_heading = "Directories")]
    pub no_ignore: bool,

    /// With -r: select files of this type instead of the default text types
    /// (ripgrep's type names: txt, markdown, rst, html, csv, ...; jsonl);
    /// may be repeated.
    #[arg(
        short = 't',
        long = "type",
        value_name = "TYPE",
        requires = "recursive",
        help_heading = "Directories"
    )]
    pub types: Vec<String>,

    /// With -r: select files whose path matches this glob (`*.md`,
    /// `!drafts/**` to exclude); may be repeated.
    #[arg(
        short = 'g',
        long = "glob",
        value_name = "GLOB",
        requires = "recursive",
        help_heading = "Directories"
    )]
    pub globs: Vec<String>,

    /// Threads: files cleaned in parallel when writing files, pieces of one
    /// input otherwise (default: the number of cores). Output is the same
    /// for every N.
    #[arg(short = 'j', long = "jobs", value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,

    /// Read settings from a TOML file (keys are the long flag names with
    /// `_` for `-`: `profile = "tw"`, `fields = ["text"]`, `jobs = 4`, ...);
    /// the command line overrides it.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Print the effective settings as TOML (usable with --config) and exit.
    #[arg(long)]
    pub print_config: bool,

    /// No progress bar and no notes on standard error (errors are still
    /// reported).
    #[arg(short, long)]
    pub quiet: bool,

    /// Print a man page or shell completions and exit.
    #[arg(long, value_enum, value_name = "WHAT", exclusive = true)]
    pub generate: Option<Generate>,
}

fn parse_config(s: &str) -> Result<Config, zh_clean::ParseError> {
    s.parse()
}

fn parse_encoding(s: &str) -> Result<EncodingChoice, UnknownEncoding> {
    s.parse()
}

/// What `--generate` prints.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Generate {
    Man,
    Bash,
    Zsh,
    Fish,
    Elvish,
    Powershell,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StatsFormat {
    Text,
    Json,
}

impl Args {
    /// Combinations in which a flag would do nothing, beyond those clap
    /// refuses itself (`requires`, `conflicts_with`).
    pub fn refused_combination(&self) -> Option<String> {
        if self.only.as_ref().is_some_and(|o| o.iter().all(|s| s.trim().is_empty())) {
            return Some("--only needs at least one stage".into());
        }
        if !self.user_dict.is_empty() && !self.segment && self.segment_field.is_none() {
            return Some("--user-dict does nothing without --segment or --segment-field".into());
        }
        if self.fine_words && !self.segment && self.segment_field.is_none() {
            return Some("--fine-words does nothing without --segment or --segment-field".into());
        }
        if self.jsonl && self.segment {
            return Some(
                "--segment writes plain text; with --jsonl, use --segment-field NAME to add the words to each record"
                    .into(),
            );
        }
        if self.in_place && self.files.is_empty() {
            return Some("--in-place needs files, not standard input".into());
        }
        if self.in_place && self.files.iter().any(|f| f.as_os_str() == "-") {
            return Some("--in-place needs files, not standard input (-)".into());
        }
        None
    }
}
