//! Writes a mixed Traditional/Simplified page from a Traditional one: every
//! other paragraph converted to Simplified (OpenCC t2s).
//!
//! `cargo run --example make_mixed -- fixtures/hkpc-ai-press-release.gold.txt > fixtures/mixed-trad-simp.txt`
use zh_clean::opencc::{Config, convert};

fn main() -> std::io::Result<()> {
    let path = std::env::args().nth(1).unwrap_or_else(|| "fixtures/hkpc-ai-press-release.gold.txt".into());
    let text = std::fs::read_to_string(path)?;
    let paragraphs: Vec<String> = text
        .split("\n\n")
        .enumerate()
        .map(|(i, p)| if i % 2 == 1 { convert(Config::T2s, p).into_owned() } else { p.to_owned() })
        .collect();
    print!("{}", paragraphs.join("\n\n"));
    Ok(())
}
