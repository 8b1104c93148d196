//! How a batch command (`eval`, `simulate`, `import` …) takes its memory from the
//! kernel: in 4 KiB pages, not transparent huge pages.
//!
//! A batch job touches about a gigabyte of fresh memory once (the 1M-household district
//! laid out as columns) and exits. mimalloc asks for huge pages (`MADV_HUGEPAGE`) on its
//! arenas; on a virtual machine that hands free memory back to its host (free page
//! reporting), each fresh 2 MiB page is backed and zeroed anew by the host on first
//! touch. Measured on the project's machine (BENCHMARKS.md, session 8): a fresh huge
//! page costs 1.4–3.3 s per GiB to touch, a 4 KiB page 0.4–0.65 s per GiB; `minsheng
//! eval` of the 1M district loaded in 2.7–3.1 s with huge pages and 2.05–2.09 s without.
//! On bare metal the difference is small either way. The web server keeps its memory for
//! its lifetime, so it is left as it is.

/// Turns transparent huge pages off for this process (`prctl(PR_SET_THP_DISABLE)`),
/// before the first large allocation. Best effort: a kernel that refuses leaves the
/// process as it was, which is only slower, so the refusal is not reported.
pub fn small_pages_for_a_batch_job() {
    #[cfg(target_os = "linux")]
    let _only_slower_if_refused = nix::sys::prctl::set_thp_disable(true);
}
