//! Prints the layout zh-clean infers for a document (after the hygiene
//! stage, as the pipeline sees it): `cargo run --example layout -- FILE`.
fn main() -> std::io::Result<()> {
    for path in std::env::args().skip(1) {
        let raw = std::fs::read_to_string(&path)?;
        let text = zh_clean::hygiene::clean(&raw);
        let layout = zh_clean::structure::analyze(&text);
        let stats = zh_clean::spacing::DocStats::measure(&text);
        println!("{path}: {layout:?} spaced={} {stats:?}", stats.is_spaced());
    }
    Ok(())
}
