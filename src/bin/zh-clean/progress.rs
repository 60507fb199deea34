//! A progress bar on standard error for long runs: bytes read out of the
//! inputs' total (rate and time left), or bytes and rate when the total is
//! unknown (standard input). Hidden when standard error is not a terminal
//! and with `-q`.

use std::io::IsTerminal;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// The bar and the counter the readers add to.
pub struct Progress {
    pub read: Arc<AtomicU64>,
    bar: Option<ProgressBar>,
    stop: Arc<std::sync::atomic::AtomicBool>,
    updater: Option<std::thread::JoinHandle<()>>,
}

impl Progress {
    /// A bar over `total` bytes (`None`: unknown), shown only on a
    /// terminal and unless `quiet`.
    pub fn new(total: Option<u64>, files: usize, quiet: bool) -> Progress {
        let read = Arc::new(AtomicU64::new(0));
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        if quiet || !std::io::stderr().is_terminal() {
            return Progress { read, bar: None, stop, updater: None };
        }
        let bar = match total {
            Some(t) => ProgressBar::with_draw_target(Some(t), ProgressDrawTarget::stderr()).with_style(
                ProgressStyle::with_template(
                    "zh-clean {bar:30} {bytes}/{total_bytes} {binary_bytes_per_sec} ETA {eta} {msg}",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
            ),
            None => ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()).with_style(
                ProgressStyle::with_template("zh-clean {spinner} {bytes} {binary_bytes_per_sec} {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            ),
        };
        if files > 1 {
            bar.set_message(format!("{files} files"));
        }
        bar.enable_steady_tick(Duration::from_millis(200));
        // The readers count into an atomic; a thread moves it to the bar.
        let updater = {
            let (bar, read, stop) = (bar.clone(), read.clone(), stop.clone());
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    bar.set_position(read.load(Ordering::Relaxed));
                    std::thread::sleep(Duration::from_millis(100));
                }
            })
        };
        Progress { read, bar: Some(bar), stop, updater: Some(updater) }
    }

    /// Removes the bar.
    pub fn finish(mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(u) = self.updater.take() {
            let _ = u.join();
        }
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}
