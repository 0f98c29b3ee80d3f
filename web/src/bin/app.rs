//! The page's main thread (see the crate documentation).

fn main() {
    smic_web::app::start();
}
