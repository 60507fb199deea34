//! Prints the layout zh-clean infers for a document: `cargo run --example layout -- FILE`.
fn main() -> std::io::Result<()> {
    for path in std::env::args().skip(1) {
        let text = std::fs::read_to_string(&path)?;
        let layout = zh_clean::structure::analyze(&text);
        let stats = zh_clean::spacing::DocStats::measure(&text);
        println!("{path}: {layout:?} spaced={} {stats:?}", stats.is_spaced());
    }
    Ok(())
}
