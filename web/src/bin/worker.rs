//! The page's web worker (see the crate documentation).

fn main() {
    smic_web::worker::start();
}
