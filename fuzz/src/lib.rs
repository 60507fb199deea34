//! The logic of the fuzz targets, as plain functions: the libFuzzer targets
//! in `fuzz_targets/` (which need a nightly toolchain and `cargo fuzz`) call
//! them, and so do this crate's unit tests, which replay the seed corpora
//! and every regression input on a stable toolchain
//! (`cargo test --manifest-path fuzz/Cargo.toml`).
//!
//! Each function panics when a property fails, which is what a fuzzer
//! reports as a crash.

use std::borrow::Cow;
use std::sync::OnceLock;

use zh_clean::spacing::{CjkLatinSpace, DocStats, Spacer};
use zh_clean::{Cleaner, Options, Profile, Variants};

const PROFILES: [Profile; 3] = [Profile::Hk, Profile::Tw, Profile::Cn];
const POLICIES: [CjkLatinSpace; 4] =
    [CjkLatinSpace::Auto, CjkLatinSpace::Remove, CjkLatinSpace::Keep, CjkLatinSpace::Pangu];
const VARIANTS: [Variants; 6] =
    [Variants::Auto, Variants::Hk, Variants::Tw, Variants::Twp, Variants::Cn, Variants::None];

/// Whether the pipeline target also checks that cleaning twice changes
/// nothing (whole documents, under the profile's own variants mode, as the
/// README promises). On unless `ZH_CLEAN_FUZZ_IDEMPOTENCE=0`.
fn check_idempotence() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("ZH_CLEAN_FUZZ_IDEMPOTENCE").is_none_or(|v| v != "0"))
}

/// The ideographs, letters and digits of `s` after the documented
/// conversions ([`zh_clean::invariants::letters`]).
pub fn letters(s: &str) -> String {
    zh_clean::invariants::letters(s)
}

/// A byte sum picks the options, so that every input is all text and a
/// mutation of it can reach every combination.
fn pick(data: &[u8]) -> (CjkLatinSpace, Variants) {
    let sum = data.iter().fold(0usize, |a, &b| a.wrapping_add(b as usize));
    (POLICIES[sum % POLICIES.len()], VARIANTS[(sum / POLICIES.len()) % VARIANTS.len()])
}

/// The whole pipeline on arbitrary text (invalid UTF-8 replaced), under
/// one profile picked by the input (so that each execution cleans the text
/// once per check, not once per profile): no panic; with variants off, no
/// ideograph, letter or digit lost or reordered, nothing added, and the
/// stream gives the whole text's result; `clean_cow` borrows only (a
/// prefix of) the input.
pub fn pipeline(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let (policy, variants) = pick(data);
    let want = zh_clean::invariants::source_letters(&text);
    let profile = PROFILES[data.last().map_or(0, |&b| b as usize) % PROFILES.len()];
    {
        let options = Options::new(profile).cjk_latin_space(policy);
        let cleaner = Cleaner::new(options.clone().variants(variants));
        let out = cleaner.clean_cow(&text);
        if let Cow::Borrowed(b) = &out {
            assert!(text.starts_with(*b), "borrowed output is not a prefix of the input");
        }
        let keeping = Cleaner::new(options.variants(Variants::None));
        // With variants off, the first result is already the one to check.
        let kept = if variants == Variants::None { out.clone().into_owned() } else { keeping.clean(&text) };
        assert_eq!(letters(&kept), want, "{profile:?} {policy:?} lost text of {text:?}: {kept:?}");
        nothing_added(&text, &kept);
        // Streaming with buffer sizes picked by the input gives the same.
        let read = 1 + data.first().map_or(0, |&b| b as usize % 7);
        let piece = 1 + data.get(1).map_or(0, |&b| b as usize % 64);
        let opts = zh_clean::stream::StreamOptions { read, piece, lossy: true, ..Default::default() };
        let mut streamed = Vec::new();
        zh_clean::stream::clean_stream(&keeping, text.as_bytes(), &mut streamed, &opts).expect("stream");
        assert_eq!(String::from_utf8_lossy(&streamed), kept, "stream differs (read {read}, piece {piece})");
        if check_idempotence() && variants == Options::new(profile).variants {
            assert_eq!(
                cleaner.clean(&out),
                out,
                "{profile:?} {policy:?} {variants:?}: not idempotent on {text:?}"
            );
        }
    }
}

/// Nothing added ([`zh_clean::invariants::nothing_added`]): no character
/// beyond the documented conversions, no ellipsis that grows.
pub fn nothing_added(input: &str, out: &str) {
    if let Err(e) = zh_clean::invariants::nothing_added(input, out) {
        panic!("{e}: {input:?} -> {out:?}");
    }
}

/// The spacing stage alone on every line of arbitrary text, with the
/// measured document statistics and with forced ones (clean, spaced,
/// spaced with wide gaps), under every policy: no panic, and only spaces
/// and tabs change.
pub fn spacing(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let spaced = DocStats { spaced_cjk_pairs: 10, single_gaps: 10, ..DocStats::default() };
    let wide = DocStats { wide_gaps: 2, ..spaced };
    let stats = [DocStats::measure(&text), DocStats::default(), spaced, wide];
    let strip = |s: &str| s.replace([' ', '\t'], "");
    for line in text.split('\n') {
        let want = strip(line);
        for st in &stats {
            for policy in POLICIES {
                let out = Spacer::new(st, policy).fix(line);
                assert_eq!(strip(&out), want, "{st:?} {policy:?} changed more than spaces in {line:?}");
                if let Cow::Borrowed(b) = &out {
                    assert_eq!(*b, line);
                }
            }
        }
    }
}

/// The command line's decoding of its input: strict decoding succeeds
/// exactly on valid UTF-8 and borrows it, and otherwise names the first
/// invalid byte's offset and up to four bytes from there; lossy decoding
/// always succeeds and agrees with the standard library.
pub fn decode(data: &[u8]) {
    use zh_clean::decode::utf8;
    match (utf8(data, false), std::str::from_utf8(data)) {
        (Ok(s), Ok(_)) => {
            assert!(matches!(s, Cow::Borrowed(_)));
            assert_eq!(s.as_bytes(), data);
        }
        (Err(e), Err(std_err)) => {
            assert_eq!(e.offset, std_err.valid_up_to());
            assert!(e.offset < data.len());
            assert!(!e.bytes.is_empty() && e.bytes.len() <= 4);
            assert_eq!(&e.bytes[..], &data[e.offset..(e.offset + e.bytes.len())]);
            let message = format!("zh-clean: <stdin>: {e}; use --lossy to replace invalid sequences");
            assert!(message.contains(&format!("byte offset {}", e.offset)));
        }
        (ours, std) => panic!("strict decoding disagrees with std: {ours:?} vs {std:?}"),
    }
    let lossy = utf8(data, true).expect("lossy decoding never fails");
    assert_eq!(lossy, String::from_utf8_lossy(data));
}

/// JSON Lines: cleaning never panics on any bytes; in skip mode every
/// input line gives one output line; a record that parses comes back as
/// JSON with the same keys in the same order; and with fields that no
/// record has, the output is the input byte for byte (nothing but cleaned
/// string values is ever rewritten).
pub fn jsonl(data: &[u8]) {
    use zh_clean::jsonl::{JsonlOptions, OnError, clean_jsonl, clean_record};
    let cleaner = zh_clean::Cleaner::default();
    let lines = data.split(|&b| b == b'\n').count() - usize::from(data.ends_with(b"\n") || data.is_empty());
    for lossy in [false, true] {
        let opts = JsonlOptions {
            fields: vec![
                "text".parse().expect("path"),
                "a.b".parse().expect("path"),
                "c[].d".parse().expect("path"),
            ],
            on_error: OnError::Skip,
            lossy,
            ..JsonlOptions::default()
        };
        let mut out = Vec::new();
        let stats = clean_jsonl(&cleaner, data, &mut out, &opts).expect("skip mode does not fail");
        let out_lines =
            out.split(|&b| b == b'\n').count() - usize::from(out.ends_with(b"\n") || out.is_empty());
        assert_eq!(out_lines, lines, "one line out per line in");
        assert!(stats.records + stats.skipped <= lines);
        if !lossy {
            for line in String::from_utf8_lossy(data).lines() {
                let line = line.trim_end_matches('\r');
                if let Ok(cleaned) = clean_record(&cleaner, line, &opts) {
                    let keys = |s: &str| -> Vec<String> {
                        serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(s)
                            .map(|m| m.keys().cloned().collect())
                            .unwrap_or_default()
                    };
                    assert_eq!(keys(&cleaned.text), keys(line), "{line:?}");
                }
            }
        }
    }
    let untouched = JsonlOptions {
        fields: vec!["no such field".parse().expect("path")],
        on_error: OnError::Skip,
        ..JsonlOptions::default()
    };
    let mut out = Vec::new();
    clean_jsonl(&cleaner, data, &mut out, &untouched).expect("skip mode does not fail");
    assert_eq!(out, data, "bytes changed with no field to clean");
}

/// Legacy encodings: decoding any bytes with any choice never panics, and
/// the streaming reader, read in small pieces, gives exactly what decoding
/// the whole buffer gives (text or the same error offset).
pub fn legacy(data: &[u8]) {
    use std::io::Read;
    use zh_clean::decode::{DecodeReader, EncodingChoice, decode};
    for choice in [
        EncodingChoice::Auto,
        EncodingChoice::Big5,
        EncodingChoice::Gb18030,
        EncodingChoice::Utf16Le,
        EncodingChoice::Utf16Be,
    ] {
        for lossy in [false, true] {
            let whole = decode(data, choice, lossy);
            let Ok(mut reader) = DecodeReader::new(data, choice, lossy) else { continue };
            let mut got = Vec::new();
            let mut buf = [0u8; 7];
            let streamed = loop {
                match reader.read(&mut buf) {
                    Ok(0) => break Ok(()),
                    Ok(n) => got.extend_from_slice(&buf[..n]),
                    Err(e) => break Err(e),
                }
            };
            match (&whole, streamed) {
                (Ok((text, _)), Ok(())) => {
                    if choice != EncodingChoice::Auto {
                        assert_eq!(got, text.as_bytes(), "{choice:?} lossy={lossy}");
                    }
                }
                (Err(e), Err(_)) => assert!(!lossy, "lossy decoding failed: {e}"),
                (Err(e), Ok(())) if e.encoding == "UTF-8" => {
                    // The reader passes UTF-8 through for the next stage to
                    // validate: the bytes are the input's, and that
                    // validation finds the same offset.
                    let bom = usize::from(data.starts_with(b"\xEF\xBB\xBF")) * 3;
                    assert_eq!(got, &data[bom..]);
                    let err = zh_clean::decode::utf8(&got, false).expect_err("invalid UTF-8");
                    assert_eq!(err.offset + bom, e.offset);
                }
                (Ok(_), Err(e)) if choice == EncodingChoice::Auto => {
                    // Auto decides from a window; whole-buffer decoding may
                    // decide differently on long inputs. Both must agree on
                    // short ones.
                    assert!(data.len() > zh_clean::decode::SNIFF_LEN, "{choice:?}: {e}");
                }
                (w, s) => {
                    panic!("{choice:?} lossy={lossy}: whole {:?} vs streamed {s:?}", w.as_ref().map(|_| ()))
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    /// Every file of `corpus/<target>/` (the committed seeds and whatever a
    /// local fuzzing run added) and of `regressions/<target>/`.
    fn replay(target: &str, run: fn(&[u8])) {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut n = 0;
        for dir in ["corpus", "regressions"] {
            let Ok(entries) = std::fs::read_dir(root.join(dir).join(target)) else { continue };
            let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
            paths.sort();
            for p in paths.iter().filter(|p| {
                p.is_file() && !p.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.'))
            }) {
                let data = std::fs::read(p).expect("read input");
                let result = std::panic::catch_unwind(|| run(&data));
                assert!(result.is_ok(), "{target} fails on {}", p.display());
                n += 1;
            }
        }
        assert!(n > 0, "no inputs for {target}");
    }

    #[test]
    fn pipeline_replays() {
        replay("pipeline", super::pipeline);
    }

    #[test]
    fn spacing_replays() {
        replay("spacing", super::spacing);
    }

    #[test]
    fn legacy_replays() {
        replay("decode", super::legacy);
    }

    #[test]
    fn jsonl_replays() {
        replay("jsonl", super::jsonl);
    }

    #[test]
    fn decode_replays() {
        replay("decode", super::decode);
    }

    #[test]
    fn known_inputs() {
        super::pipeline(
            "（ 香港 ， 2023年 11月 10日 ） 49 % 受訪 企業 與 德國 RWTH Aachen Campus 合作".as_bytes(),
        );
        super::spacing("香港 生產 力促 進局 U . S . News\n\t4 . 0 ".as_bytes());
        super::decode(b"\xe9\xa6\x99\xe6\xb8\xaf\xff\xfe\xed\xa0\x80");
        super::decode(b"");
    }
}
