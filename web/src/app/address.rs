//! The page's options read from its address, so a link or an embedding iframe can preset them:
//! `?embed=1` (the compact layout), `?profile=jupyterlab` (the profile selector's choice, as
//! `--profile` spells it), `?workers=N` (the size of the worker's pool) and `?fetchers=N` (its
//! fetch workers).

use smic_rules::ProfileChoice;

fn option(name: &str) -> Option<String> {
    let search = web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default();
    web_sys::UrlSearchParams::new_with_str(&search).ok().and_then(|p| p.get(name))
}

/// `?embed=1`: the compact layout for iframes.
pub fn embedded() -> bool {
    option("embed").is_some_and(|v| v != "0")
}

/// `?workers=N`: how many pool workers read an archive's layers (the default is one per core),
/// and `?fetchers=N`: how many fetch workers move the file's bytes (the default is 2); for tests
/// and measurements. Passed to the worker in its name (see `protocol::pool_size` and
/// `protocol::fetch_workers`).
pub fn worker_name() -> String {
    let options = ["workers", "fetchers"].map(|name| option(name).map(|n| format!("{name}={n}")));
    options.into_iter().flatten().collect::<Vec<_>>().join(",")
}

/// `?profile=…`: the profile to start with; `auto` when absent or not a profile.
pub fn profile() -> ProfileChoice {
    option("profile").and_then(|v| ProfileChoice::parse(v.trim())).unwrap_or_default()
}
