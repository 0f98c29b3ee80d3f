//! The page's web worker (see the crate documentation).

fn main() {
    #[cfg(target_arch = "wasm32")]
    smic_web::worker::start();
}
