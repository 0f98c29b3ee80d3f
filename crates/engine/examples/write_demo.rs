//! Writes the bundled demo (archive, Dockerfile, AppImageConfig) into a directory, so it can be
//! checked with the CLI or loaded with `docker load`.
fn main() {
    let dir = std::env::args().nth(1).unwrap_or_else(|| String::from("demo"));
    let dir = std::path::Path::new(&dir);
    let write = |name: &str, bytes: &[u8]| {
        if let Err(e) = std::fs::create_dir_all(dir).and_then(|_| std::fs::write(dir.join(name), bytes)) {
            eprintln!("{}: {e}", dir.join(name).display());
            std::process::exit(2);
        }
    };
    write(smic_engine::demo::ARCHIVE_NAME, &smic_engine::demo::archive());
    write(smic_engine::demo::DOCKERFILE_NAME, smic_engine::demo::DOCKERFILE.as_bytes());
    write(smic_engine::demo::CONFIG_NAME, smic_engine::demo::CONFIG.as_bytes());
    println!("wrote the demo to {}", dir.display());
}
