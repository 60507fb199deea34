//! Settings: what the command line and a `--config` file both say, merged
//! (the command line wins) and resolved into the library's [`Options`] and
//! the run's input and output settings.
//!
//! A config file holds the settings of a pipeline run, with the long flag
//! names as keys (`_` for `-`). Flags that say *what to do to which files*
//! (`--in-place`, `--output-dir`, `--check`, `--diff`, `-r`, the files)
//! stay on the command line, so that a shared config file can never make a
//! run rewrite files. A profile applies its defaults identically from both
//! places: the profile is chosen first, then every key given anywhere is
//! applied on top of its defaults.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use zh_clean::opencc::Config;
use zh_clean::{Backend, CjkLatinSpace, Cleaner, Options, Profile, QuoteStyle, Stage, Variants};

use zh_clean::decode::EncodingChoice;
use zh_clean::jsonl::{FieldPath, JsonlOptions, OnError};

use crate::args::{Args, StatsFormat};

/// Every setting, optional: `None` is "not said here".
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile: Option<Profile>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub only: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skip: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cjk_latin_space: Option<CjkLatinSpace>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quotes: Option<QuoteStyle>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub middle_dot: Option<char>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variants: Option<Variants>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub convert: Option<Config>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub backend: Option<Backend>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub main_content: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dedupe: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub segment: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delimiter: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_dict: Option<Vec<PathBuf>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fine_words: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub words_only: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encoding: Option<EncodingChoice>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lossy: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decompress: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub jsonl: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fields: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub on_error: Option<OnError>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub segment_field: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub jobs: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stats: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stats_format: Option<StatsFormat>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quiet: Option<bool>,
}

/// `Some(true)` for a flag given, `None` otherwise.
fn flag(on: bool) -> Option<bool> {
    on.then_some(true)
}

impl Settings {
    /// What the command line says.
    pub fn from_args(a: &Args) -> Settings {
        Settings {
            profile: a.profile,
            only: a.only.clone(),
            skip: a.skip.clone(),
            cjk_latin_space: a.cjk_latin_space,
            quotes: a.quotes,
            middle_dot: None,
            variants: a.variants,
            convert: a.convert,
            backend: a.backend,
            main_content: flag(a.main_content),
            dedupe: flag(a.dedupe),
            segment: flag(a.segment),
            delimiter: a.delimiter.clone(),
            user_dict: (!a.user_dict.is_empty()).then(|| a.user_dict.clone()),
            fine_words: flag(a.fine_words),
            words_only: flag(a.words_only),
            encoding: a.encoding,
            lossy: flag(a.lossy),
            decompress: flag(a.decompress),
            jsonl: flag(a.jsonl),
            fields: (!a.field.is_empty()).then(|| a.field.clone()),
            on_error: a.on_error,
            segment_field: a.segment_field.clone(),
            jobs: a.jobs,
            stats: flag(a.stats),
            stats_format: a.stats_format,
            quiet: flag(a.quiet),
        }
    }

    /// Reads a config file; errors name the file and, for TOML errors, the
    /// line and the key.
    pub fn from_file(path: &Path) -> Result<Settings, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("config {}: {e}", path.display()))?;
        toml::from_str(&text).map_err(|e| format!("config {}: {e}", path.display()))
    }

    /// `self` where it says something, `base` elsewhere.
    pub fn over(self, base: Settings) -> Settings {
        Settings {
            profile: self.profile.or(base.profile),
            only: self.only.or(base.only),
            skip: self.skip.or(base.skip),
            cjk_latin_space: self.cjk_latin_space.or(base.cjk_latin_space),
            quotes: self.quotes.or(base.quotes),
            middle_dot: self.middle_dot.or(base.middle_dot),
            // A conversion or a mode given on the command line replaces
            // either from the file.
            variants: if self.convert.is_some() { self.variants } else { self.variants.or(base.variants) },
            convert: if self.variants.is_some() { self.convert } else { self.convert.or(base.convert) },
            backend: self.backend.or(base.backend),
            main_content: self.main_content.or(base.main_content),
            dedupe: self.dedupe.or(base.dedupe),
            segment: self.segment.or(base.segment),
            delimiter: self.delimiter.or(base.delimiter),
            user_dict: self.user_dict.or(base.user_dict),
            fine_words: self.fine_words.or(base.fine_words),
            words_only: self.words_only.or(base.words_only),
            encoding: self.encoding.or(base.encoding),
            lossy: self.lossy.or(base.lossy),
            decompress: self.decompress.or(base.decompress),
            jsonl: self.jsonl.or(base.jsonl),
            fields: self.fields.or(base.fields),
            on_error: self.on_error.or(base.on_error),
            segment_field: self.segment_field.or(base.segment_field),
            jobs: self.jobs.or(base.jobs),
            stats: self.stats.or(base.stats),
            stats_format: self.stats_format.or(base.stats_format),
            quiet: self.quiet.or(base.quiet),
        }
    }

    /// The library options: the profile's defaults, then every setting
    /// given.
    pub fn options(&self) -> Result<Options, String> {
        if self.convert.is_some() && self.variants.is_some() {
            return Err("both `variants` and `convert` are set; choose one".into());
        }
        let mut o = Options::new(self.profile.unwrap_or_default());
        if let Some(s) = self.cjk_latin_space {
            o = o.cjk_latin_space(s);
        }
        if let Some(q) = self.quotes {
            o = o.quotes(q);
        }
        if let Some(dot) = self.middle_dot {
            o = o.middle_dot(dot);
        }
        if let Some(v) = self.variants {
            o = o.variants(v);
        }
        if let Some(c) = self.convert {
            o = o.convert(c);
        }
        if let Some(b) = self.backend {
            o = o.backend(b);
        }
        o = o.main_content(self.main_content.unwrap_or(false)).dedupe(self.dedupe.unwrap_or(false));
        o = o.fine_words(self.fine_words.unwrap_or(false));
        if let Some(only) = &self.only {
            let stages = parse_stages(only)?;
            if stages.is_empty() {
                return Err("`only` needs at least one stage".into());
            }
            o = o.only(&stages);
        }
        if let Some(skip) = &self.skip {
            for s in parse_stages(skip)? {
                o = o.stage(s, false);
            }
        }
        Ok(o)
    }

    /// The effective settings, every key filled in, for `--print-config`.
    pub fn effective(&self) -> Result<Settings, String> {
        let o = self.options()?;
        let skipped: Vec<String> =
            Stage::ALL.into_iter().filter(|s| !o.runs(*s)).map(|s| s.name().to_owned()).collect();
        Ok(Settings {
            profile: Some(o.profile),
            only: None,
            skip: Some(skipped),
            cjk_latin_space: Some(o.cjk_latin_space),
            quotes: Some(o.quotes),
            middle_dot: Some(o.middle_dot),
            variants: if o.convert.is_some() { None } else { Some(o.variants) },
            convert: o.convert,
            backend: Some(o.backend),
            main_content: Some(o.main_content),
            dedupe: Some(o.dedupe),
            segment: Some(self.segment.unwrap_or(false)),
            delimiter: Some(self.delimiter()),
            user_dict: Some(self.user_dict.clone().unwrap_or_default()),
            fine_words: Some(o.fine_words),
            words_only: Some(self.words_only.unwrap_or(false)),
            encoding: Some(self.encoding.unwrap_or(EncodingChoice::Utf8)),
            lossy: Some(self.lossy.unwrap_or(false)),
            decompress: Some(self.decompress.unwrap_or(false)),
            jsonl: Some(self.jsonl.unwrap_or(false)),
            fields: Some(self.fields()),
            on_error: Some(self.on_error.unwrap_or_default()),
            segment_field: self.segment_field.clone(),
            jobs: self.jobs,
            stats: Some(self.stats.unwrap_or(false)),
            stats_format: Some(self.stats_format.unwrap_or(StatsFormat::Text)),
            quiet: Some(self.quiet.unwrap_or(false)),
        })
    }

    /// `--print-config`: the effective settings as TOML, every key filled in.
    pub fn to_toml(&self) -> Result<String, String> {
        self.effective().and_then(|e| toml::to_string(&e).map_err(|e| e.to_string()))
    }

    /// The cleaner: the library options (the word granularity among them),
    /// and the segmenter with the user dictionaries, if any.
    pub fn cleaner(&self) -> Result<Cleaner, String> {
        let mut cleaner = Cleaner::try_new(self.options()?).map_err(|e| e.to_string())?;
        if let Some(dicts) = &self.user_dict {
            let mut segmenter = zh_clean::segment::Segmenter::new();
            for path in dicts {
                let loaded = std::fs::File::open(path)
                    .and_then(|f| segmenter.load_user_dict(std::io::BufReader::new(f)));
                if let Err(e) = loaded {
                    return Err(format!("user dictionary {}: {e}", path.display()));
                }
            }
            cleaner = cleaner.with_segmenter(segmenter);
        }
        Ok(cleaner)
    }

    /// With `--jsonl`: the record settings (one thread; set per input).
    pub fn jsonl_options(&self) -> Result<Option<JsonlOptions>, String> {
        if self.jsonl != Some(true) {
            return Ok(None);
        }
        let fields = self
            .fields()
            .iter()
            .map(|f| f.parse::<FieldPath>().map_err(|e| format!("--field {f}: {e}")))
            .collect::<Result<_, _>>()?;
        Ok(Some(JsonlOptions {
            fields,
            on_error: self.on_error.unwrap_or_default(),
            segment_field: self.segment_field.clone(),
            words_only: self.words_only == Some(true),
            lossy: self.lossy == Some(true),
            threads: 1,
        }))
    }

    pub fn delimiter(&self) -> String {
        self.delimiter.clone().unwrap_or_else(|| " ".to_owned())
    }

    pub fn fields(&self) -> Vec<String> {
        self.fields.clone().unwrap_or_else(|| vec!["text".to_owned()])
    }

    pub fn threads(&self) -> usize {
        self.jobs
            .map(usize::from)
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
            .max(1)
    }
}

fn parse_stages(names: &[String]) -> Result<Vec<Stage>, String> {
    names
        .iter()
        .filter(|n| !n.trim().is_empty())
        .map(|n| n.trim().parse::<Stage>().map_err(|e| e.to_string()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_profile_brings_the_same_defaults_from_both_places() {
        let file: Settings = toml::from_str("profile = \"tw\"\n").unwrap();
        let cli = Settings { profile: Some(Profile::Tw), ..Settings::default() };
        assert_eq!(file.options().unwrap(), cli.options().unwrap());
        assert_eq!(file.options().unwrap(), Options::new(Profile::Tw));
        let file: Settings = toml::from_str("profile = \"cn\"\n").unwrap();
        assert_eq!(file.options().unwrap(), Options::new(Profile::Cn));
    }

    #[test]
    fn unknown_keys_name_the_key_and_line() {
        let err = toml::from_str::<Settings>("jobs = 2\nprofil = \"tw\"\n").unwrap_err().to_string();
        assert!(err.contains("profil") && err.contains("line 2"), "{err}");
    }

    #[test]
    fn the_command_line_wins() {
        let file: Settings = toml::from_str("profile = \"tw\"\nvariants = \"none\"\njobs = 3").unwrap();
        let cli = Settings { variants: Some(Variants::Auto), ..Settings::default() };
        let merged = cli.over(file);
        assert_eq!(merged.variants, Some(Variants::Auto));
        assert_eq!(merged.profile, Some(Profile::Tw));
        assert_eq!(merged.threads(), 3);
        // A conversion on the command line replaces the file's mode.
        let file: Settings = toml::from_str("variants = \"tw\"").unwrap();
        let cli = Settings { convert: Some(Config::S2hk), ..Settings::default() };
        assert_eq!(cli.over(file).options().unwrap().convert, Some(Config::S2hk));
    }

    #[test]
    fn printed_settings_read_back_to_the_same_options() {
        let s = Settings {
            profile: Some(Profile::Cn),
            skip: Some(vec!["structure".into()]),
            fields: Some(vec!["a.b".into()]),
            ..Settings::default()
        };
        let printed = toml::to_string(&s.effective().unwrap()).unwrap();
        let back: Settings = toml::from_str(&printed).unwrap();
        assert_eq!(back.options().unwrap(), s.options().unwrap());
        assert_eq!(back.fields(), ["a.b"]);
    }
}
