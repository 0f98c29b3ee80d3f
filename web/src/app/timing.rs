//! User Timing marks, so tests and benchmarks can read when the page became usable
//! (`smic-app-rendered`, `smic-worker-ready`).

pub fn mark(name: &str) {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark(name);
    }
}
