//! OpenCC 1.1.6's official test cases (`tests/opencc/*.in` and `*.ans`,
//! Apache-2.0, see `tests/opencc/LICENSE`): every configuration, every line.

use zh_clean::opencc::{Config, convert};

/// OpenCC 1.1.6 has cases for every configuration but `t2tw`.
const WITHOUT_CASES: [Config; 1] = [Config::T2tw];

fn cases(config: Config) -> Vec<(String, String)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/opencc");
    if WITHOUT_CASES.contains(&config) {
        assert!(!dir.join(format!("{config}.in")).exists(), "{config} has cases now: test them");
        return Vec::new();
    }
    let read = |ext: &str| {
        std::fs::read_to_string(dir.join(format!("{}.{ext}", config.name())))
            .unwrap_or_else(|e| panic!("{}.{ext}: {e}", config.name()))
    };
    let (input, answer) = (read("in"), read("ans"));
    let (input, answer): (Vec<&str>, Vec<&str>) = (input.lines().collect(), answer.lines().collect());
    assert_eq!(input.len(), answer.len(), "{config}");
    input.into_iter().zip(answer).map(|(i, a)| (i.to_owned(), a.to_owned())).collect()
}

#[test]
fn builtin_passes_every_official_case() {
    let mut failures = Vec::new();
    let mut total = 0;
    for config in Config::ALL {
        for (input, answer) in cases(config) {
            total += 1;
            let got = convert(config, &input);
            if got != answer {
                failures.push(format!("{config}: {input}\n  want {answer}\n  got  {got}"));
            }
        }
    }
    assert!(total >= 14);
    assert!(failures.is_empty(), "{} of {total} failed:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn whole_files_convert_like_lines() {
    // Converting a whole file at once gives the same as line by line.
    for config in Config::ALL {
        let cases = cases(config);
        let input: Vec<&str> = cases.iter().map(|c| c.0.as_str()).collect();
        let answer: Vec<&str> = cases.iter().map(|c| c.1.as_str()).collect();
        assert_eq!(convert(config, &input.join("\n")), answer.join("\n"), "{config}");
    }
}

#[cfg(feature = "opencc-sys")]
mod system {
    use super::*;
    use zh_clean::variants::{Builtin, Converter, System};

    #[test]
    fn system_passes_every_official_case() {
        let system = System::new().expect("libopencc and its data");
        for config in Config::ALL {
            for (input, answer) in cases(config) {
                assert_eq!(system.convert(config, &input), answer, "{config}: {input}");
            }
        }
    }

    #[test]
    fn backends_agree_on_the_fixtures() {
        let system = System::new().expect("libopencc and its data");
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
