//! Word segmentation quality against a gold segmentation.
//!
//! ```sh
//! cargo run --release --example seg_eval -- ../shared/corpora/ud_zh_gsd/test
//! ```
//!
//! reads `PREFIX.txt` (one raw sentence per line) and `PREFIX.seg` (the same
//! sentences, gold words separated by single spaces) and prints word-level
//! precision, recall and F1 over character spans for jieba on the text as it
//! is, for zh-clean's shadow segmentation and for the shadow cut to the
//! treebank granularity (`Segmenter::fine`), with and without jieba's HMM.

use std::collections::HashSet;

use zh_clean::segment::{Segmenter, TokenKind};

/// Character spans `(start, end)` of the words of a segmentation.
fn spans<'a>(words: impl Iterator<Item = &'a str>) -> HashSet<(usize, usize)> {
    let mut at = 0;
    words
        .map(|w| {
            let n = w.chars().count();
            at += n;
            (at - n, at)
        })
        .collect()
}

#[derive(Default)]
struct Score {
    correct: usize,
    predicted: usize,
    gold: usize,
}

impl Score {
    fn add(&mut self, predicted: &HashSet<(usize, usize)>, gold: &HashSet<(usize, usize)>) {
        self.correct += predicted.intersection(gold).count();
        self.predicted += predicted.len();
        self.gold += gold.len();
    }

    fn prf(&self) -> (f64, f64, f64) {
        let p = self.correct as f64 / self.predicted.max(1) as f64;
        let r = self.correct as f64 / self.gold.max(1) as f64;
        (p, r, if p + r > 0.0 { 2.0 * p * r / (p + r) } else { 0.0 })
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let prefix = std::env::args().nth(1).ok_or("usage: seg_eval PREFIX (reads PREFIX.txt and PREFIX.seg)")?;
    let raw = std::fs::read_to_string(format!("{prefix}.txt"))?;
    let seg = std::fs::read_to_string(format!("{prefix}.seg"))?;
    let systems = [
        ("jieba-rs direct, HMM", Segmenter::direct()),
        ("jieba-rs direct, no HMM", Segmenter::direct().hmm(false)),
        ("zh-clean shadow, HMM", Segmenter::new()),
        ("zh-clean shadow, no HMM", Segmenter::new().hmm(false)),
        ("zh-clean fine, HMM", Segmenter::new().fine(true)),
        ("zh-clean fine, no HMM", Segmenter::new().fine(true).hmm(false)),
    ];
    let mut scores: Vec<Score> = systems.iter().map(|_| Score::default()).collect();
    let mut sentences = 0;
    for (line, gold_line) in raw.lines().zip(seg.lines()) {
        let gold = spans(gold_line.split(' ').filter(|w| !w.is_empty()));
        // Whitespace is not part of any gold word; drop it from the input
        // the way the gold drops it.
        let text: String = line.chars().filter(|c| !c.is_whitespace()).collect();
        for ((_, s), score) in systems.iter().zip(&mut scores) {
            let words = s.segment(&text);
            let predicted = spans(words.iter().filter(|t| t.kind != TokenKind::Space).map(|t| t.text(&text)));
            score.add(&predicted, &gold);
        }
        sentences += 1;
    }
    println!("{sentences} sentences from {prefix}.txt");
    println!("{:<26} {:>9} {:>9} {:>9}", "system", "precision", "recall", "F1");
    for ((name, _), score) in systems.iter().zip(&scores) {
        let (p, r, f) = score.prf();
        println!("{name:<26} {:>9.4} {:>9.4} {:>9.4}", p, r, f);
    }
    Ok(())
}
