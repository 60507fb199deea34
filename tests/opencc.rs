//! OpenCC's official test cases (`tests/opencc/testcases.json`, Apache-2.0,
//! see `tests/opencc/README.md`): every expectation of every configuration,
//! through the pure-Rust converter and, with the `opencc-sys` feature, the
//! C++ library.

#[path = "opencc/cases.rs"]
mod cases;

use std::collections::BTreeMap;

use zh_clean::opencc::{Config, convert, convert_reference};

/// The release's file has 556 expectations over all 16 configurations; a
/// shorter or partial file fails here rather than passing on less.
#[test]
fn the_file_covers_every_configuration() {
    let cases = cases::all();
    assert!(cases.len() >= 556, "{} expectations", cases.len());
    for config in Config::ALL {
        assert!(cases.iter().any(|c| c.config == config), "no case for {config}");
    }
}

#[test]
fn builtin_passes_every_official_case() {
    let cases = cases::all();
    let mut per_config: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut failures = Vec::new();
    for case in &cases {
        let got = convert(case.config, &case.input);
        let entry = per_config.entry(case.config.name()).or_default();
        entry.1 += 1;
        if got == case.expected {
            entry.0 += 1;
        } else {
            failures.push(format!(
                "{} {}: {}\n  want {}\n  got  {got}",
                case.id, case.config, case.input, case.expected
            ));
        }
        // The reference path (segment by segment, no shortcuts) agrees.
        assert_eq!(convert_reference(case.config, &case.input), got, "{} {}", case.id, case.config);
    }
    for (config, (passed, total)) in &per_config {
        eprintln!("{config:>6}: {passed}/{total}");
    }
    assert!(failures.is_empty(), "{} of {} failed:\n{}", failures.len(), cases.len(), failures.join("\n"));
}

#[test]
fn whole_text_converts_like_lines() {
    // Converting all the inputs of a configuration at once, one per line,
    // gives the same as each on its own.
    let cases = cases::all();
    for config in Config::ALL {
        let mine: Vec<&cases::Case> = cases.iter().filter(|c| c.config == config).collect();
        let input: Vec<&str> = mine.iter().map(|c| c.input.as_str()).collect();
        let answer: Vec<&str> = mine.iter().map(|c| c.expected.as_str()).collect();
        assert_eq!(convert(config, &input.join("\n")), answer.join("\n"), "{config}");
    }
}

#[cfg(feature = "opencc-sys")]
mod system {
    use super::*;
    use zh_clean::variants::{Builtin, Converter, System};

    #[test]
    fn a_cleaner_opens_its_configurations_when_it_is_built() {
        use zh_clean::{Backend, Cleaner, Options};
        let system = System::new().expect("the bundled OpenCC library and its data");
        // Every configuration is bundled, the 1.4 ones too.
        for config in Config::ALL {
            assert!(system.has(config), "{config}");
        }
        let options = Options::default().backend(Backend::OpenccSys).convert(Config::S2hkp);
        let cleaner = Cleaner::try_new(options).expect("s2hkp");
        assert_eq!(cleaner.clean("头发"), "頭髮");
        assert!(Cleaner::try_new(Options::default().backend(Backend::OpenccSys)).is_ok());
    }

    #[test]
    fn a_nul_stays_and_does_not_cut_the_text() {
        let system = System::new().expect("the bundled OpenCC library and its data");
        assert_eq!(system.convert(Config::S2t, "头发\0头发\0\0"), "頭髮\0頭髮\0\0");
        assert_eq!(system.convert(Config::S2t, "\0"), "\0");
    }

    /// One converter shared by several threads converts as it does alone
    /// (OpenCC's conversion is thread-safe; `System` is `Sync`).
    #[test]
    fn threads_share_one_converter() {
        let system = System::new().expect("the bundled OpenCC library and its data");
        let cases = cases::all();
        std::thread::scope(|s| {
            for part in cases.chunks(cases.len().div_ceil(4)) {
                let system = &system;
                s.spawn(move || {
                    for _ in 0..5 {
                        for case in part {
                            assert_eq!(
                                system.convert(case.config, &case.input),
                                case.expected,
                                "{}",
                                case.id
                            );
                        }
                    }
                });
            }
        });
    }

    #[test]
    fn system_passes_every_official_case() {
        let system = System::new().expect("the bundled OpenCC library and its data");
        let mut failures = Vec::new();
        let cases = cases::all();
        for case in &cases {
            let got = system.convert(case.config, &case.input);
            if got != case.expected {
                failures.push(format!("{} {}: want {} got {got}", case.id, case.config, case.expected));
            }
        }
        assert!(
            failures.is_empty(),
            "{} of {} failed:\n{}",
            failures.len(),
            cases.len(),
            failures.join("\n")
        );
    }

    #[test]
    fn backends_agree_on_the_fixtures() {
        let system = System::new().expect("the bundled OpenCC library and its data");
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let mut texts: Vec<String> = Vec::new();
        for entry in std::fs::read_dir(dir).expect("fixtures").flatten() {
            if let Ok(t) = std::fs::read_to_string(entry.path()) {
                texts.push(t.clone());
                // And the same text in Simplified, for the s2… configurations.
                texts.push(Builtin.convert(Config::T2s, &t).into_owned());
            }
        }
        assert!(texts.len() >= 4);
        for config in Config::ALL {
            for t in &texts {
                for (i, line) in t.lines().enumerate() {
                    assert_eq!(
                        Builtin.convert(config, line),
                        system.convert(config, line),
                        "{config} line {i}"
                    );
                }
            }
        }
    }
}
