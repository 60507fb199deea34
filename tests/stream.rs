//! Streaming gives exactly what cleaning the whole text gives, whatever the
//! buffer sizes: over the fixtures and, when present, the evaluation inputs.

use std::path::Path;

use zh_clean::stream::{StreamOptions, clean_stream};
use zh_clean::{Cleaner, Options, Stage, Variants};

fn documents() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut docs = Vec::new();
    for dir in [root.join("fixtures"), root.join("../shared/eval/dev/input")] {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        let mut paths: Vec<_> = entries.flatten().map(|e| e.path()).collect();
        paths.sort();
        docs.extend(paths.iter().filter_map(|p| std::fs::read_to_string(p).ok()));
    }
    assert!(docs.len() >= 3);
    docs
}

fn streamed(c: &Cleaner, text: &str, opts: &StreamOptions) -> String {
    let mut out = Vec::new();
    clean_stream(c, text.as_bytes(), &mut out, opts).expect("stream");
    String::from_utf8(out).expect("UTF-8")
}

#[test]
fn streaming_equals_whole_for_tiny_buffers() {
    let cleaners = [
        Cleaner::default(),
        Cleaner::new(Options::default().variants(Variants::Hk)),
        Cleaner::new(Options::default().stage(Stage::Structure, false)),
    ];
    for (i, doc) in documents().iter().enumerate() {
        for c in &cleaners {
            let whole = c.clean(doc);
            // Every document through small buffers; a few through tiny ones.
            let sizes: &[(usize, usize)] =
                if i % 10 == 0 { &[(1, 1), (7, 64), (256, 4096)] } else { &[(13, 200)] };
            for &(read, piece) in sizes {
                let opts = StreamOptions { read, piece, lossy: false, threads: 1, stats: false };
                assert_eq!(streamed(c, doc, &opts), whole, "document {i}, read {read}, piece {piece}");
            }
        }
    }
}

#[test]
fn parallel_streaming_equals_whole() {
    // Past the analysis window, so that the decisions come from a prefix.
    let one = documents().join("\n\n");
    let big = one.repeat((3 * zh_clean::ANALYSIS_WINDOW) / one.len() + 1);
    let c = Cleaner::default();
    let whole = c.clean(&big);
    for threads in [2, 4] {
        let opts = StreamOptions { read: 4096, piece: 8192, lossy: false, threads, stats: true };
        assert_eq!(streamed(&c, &big, &opts), whole, "{threads} threads");
    }
}
