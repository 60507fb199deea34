//! Converts standard input line by line with one OpenCC configuration of
//! the pure-Rust converter, for comparisons with other OpenCC builds
//! (`scripts/compare-opencc.py`).
//!
//! ```sh
//! cargo run --release --example opencc_lines -- s2hk < in.txt > out.txt
//! ```

use std::io::{BufRead, Write};

use zh_clean::opencc::{Config, convert};

fn main() {
    let config: Config = match std::env::args().nth(1).map(|a| a.parse()) {
        Some(Ok(c)) => c,
        Some(Err(e)) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
        None => {
            eprintln!("usage: opencc_lines CONFIG < input");
            std::process::exit(2);
        }
    };
    let stdin = std::io::stdin().lock();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for line in stdin.lines() {
        let line = line.expect("UTF-8 input");
        writeln!(out, "{}", convert(config, &line)).expect("stdout");
    }
}
