//! Progress bars on standard error (indicatif), one per file and pass. Hidden when
//! standard error is not a terminal, so logs and CI stay clean.

use indicatif::{ProgressBar, ProgressStyle};
use minsheng_app::import::{Phase, Progress};
use std::sync::Mutex;
use std::time::Instant;

/// Time spent per phase: the running phase and its start, and seconds of check and write.
type Clock = (Option<(Phase, Instant)>, [f64; 2]);

pub struct Bars {
    current: Mutex<Option<ProgressBar>>,
    hidden: bool,
    clock: Mutex<Clock>,
}

impl Bars {
    pub fn new(hidden: bool) -> Bars {
        Bars {
            current: Mutex::new(None),
            hidden,
            clock: Mutex::new((None, [0.0; 2])),
        }
    }

    /// Seconds spent checking and writing, for the summary.
    pub fn phase_seconds(&self) -> (f64, f64) {
        self.clock.lock().map_or((0.0, 0.0), |c| (c.1[0], c.1[1]))
    }

    fn with(&self, f: impl FnOnce(&mut Option<ProgressBar>)) {
        if let Ok(mut g) = self.current.lock() {
            f(&mut g);
        }
    }
}

impl Progress for Bars {
    fn begin(&self, source: &str, phase: Phase, total_bytes: u64) {
        if let Ok(mut c) = self.clock.lock() {
            c.0 = Some((phase, Instant::now()));
        }
        if self.hidden {
            return;
        }
        let bar = ProgressBar::new(total_bytes);
        let style = ProgressStyle::with_template(
            "{prefix} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} 剩余 {eta}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
        bar.set_style(style);
        bar.set_prefix(format!("{} {source}", phase.label()));
        self.with(|c| {
            if let Some(old) = c.replace(bar) {
                old.finish_and_clear();
            }
        });
    }

    fn advance_to(&self, bytes: u64) {
        self.with(|c| {
            if let Some(b) = c {
                b.set_position(bytes);
            }
        });
    }

    fn end(&self) {
        if let Ok(mut c) = self.clock.lock()
            && let Some((phase, start)) = c.0.take()
        {
            c.1[usize::from(phase == Phase::Write)] += start.elapsed().as_secs_f64();
        }
        self.with(|c| {
            if let Some(b) = c.take() {
                b.finish_and_clear();
            }
        });
    }
}
