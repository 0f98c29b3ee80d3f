//! The page's main thread (see the crate documentation).

fn main() {
    #[cfg(target_arch = "wasm32")]
    smic_web::app::start();
}
