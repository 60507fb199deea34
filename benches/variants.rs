//! Character-variant conversion: the pure-Rust converter, and the C++
//! OpenCC in the same run when built with `--features opencc-sys`.
//!
//! ```sh
//! cargo bench --bench variants                       # pure Rust only
//! cargo bench --bench variants --features opencc-sys # side by side
//! ```

use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use zh_clean::opencc::{Config, convert};
use zh_clean::variants::{Builtin, Converter, auto};

mod inputs;

fn config() -> Criterion {
    Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
}

fn variants(c: &mut Criterion) {
    let traditional = inputs::repeat(&inputs::clean(), 2_000_000);
    let simplified = convert(Config::T2s, &traditional).into_owned();
    let mixed = inputs::repeat(&inputs::mixed(), 2_000_000);
    zh_clean::opencc::preload(Config::S2hk);
    zh_clean::opencc::preload(Config::T2s);
    zh_clean::opencc::preload(Config::T2hk);

    let converters: Vec<(&str, Box<dyn Converter>)> = vec![
        ("builtin", Box::new(Builtin)),
        #[cfg(feature = "opencc-sys")]
        ("opencc-sys", Box::new(zh_clean::variants::System::new().expect("the bundled OpenCC"))),
    ];

    let mut g = c.benchmark_group("variants");
    for (config, input_name, input) in [
        (Config::S2hk, "simplified", &simplified),
        (Config::T2s, "traditional", &traditional),
        (Config::T2hk, "traditional", &traditional),
    ] {
        g.throughput(Throughput::Bytes(input.len() as u64));
        for (name, conv) in &converters {
            g.bench_with_input(BenchmarkId::new(format!("{config}/{name}"), input_name), input, |b, t| {
                b.iter(|| conv.convert(config, t).len())
            });
        }
    }
    for (input_name, input) in [("traditional", &traditional), ("mixed", &mixed)] {
        g.throughput(Throughput::Bytes(input.len() as u64));
        g.bench_with_input(BenchmarkId::new("auto/builtin", input_name), input, |b, t| {
            b.iter(|| auto(t, Config::S2hk, &Builtin).len())
        });
    }
    g.finish();
}

criterion_group! {
    name = benches;
    config = config();
    targets = variants
}
criterion_main!(benches);
