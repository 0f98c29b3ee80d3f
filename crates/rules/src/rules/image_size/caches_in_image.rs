//! SIZE003 `caches-in-image`: Package-manager caches take space in the image.
//! The declaration, its messages, its check, its examples and its tests.

use alloc::string::String;
use alloc::vec::Vec;

use crate::context::Context;
use crate::report::Findings;
use crate::report::Location;
use crate::rule::{Example, Rule};
use crate::vocabulary::{InputKind, Profile, Section, Severity, Stage};

pub const RULE: Rule = Rule {
    id: "SIZE003",
    name: "caches-in-image",
    section: Section::ImageSize,
    spec: super::SPEC_SIZE,
    severity: Severity::Info,
    stage: Stage::Never,
    profiles: Profile::EVERY,
    requires: &[&[InputKind::Image]],
    needs_files: &[],
    summary: "Package-manager caches take space in the image.",
    explanation: "pip, conda, apt, npm and yarn keep download caches that nothing uses at runtime. They count toward the \
25 GB limit and slow every pull of the image.",
    fix: "Clean caches in the same RUN that fills them: `pip install --no-cache-dir`, `conda clean -afy`, `rm -rf /var/lib/apt/lists/*`, `npm cache clean --force`.",
    explains: &[],
    examples: &[
        Example::bad().image(r#"studio-image
file /root/.cache/pip/http/a 300_000_000
file /opt/conda/pkgs/numpy.tar.bz2 50_000_000"#),
        Example::good().image(r#"studio-image
file /root/.cache/pip/small 1000"#),
    ],
    check,
};

/// Cache directories worth reporting once they hold this much.
const MIN_BYTES: u64 = 10_000_000;

fn is_cache(path: &str) -> bool {
    path.ends_with("/.cache/pip")
        || path.ends_with("/.cache/yarn")
        || path.ends_with("/.npm/_cacache")
        || path.ends_with("/conda/pkgs")
        || path.ends_with("/miniconda/pkgs")
        || path.ends_with("/miniconda3/pkgs")
        || path.ends_with("/mambaforge/pkgs")
        || path == "/var/lib/apt/lists"
        || path == "/var/cache/apt"
        || path == "/var/cache/yum"
        || path == "/var/cache/dnf"
        || path == "/usr/local/share/.cache"
}

/// What SIZE003 says, with typed arguments: the only place its wording lives.
mod message {
    use alloc::format;
    use alloc::string::String;

    pub fn cache(path: &str, size: u64) -> String {
        format!("{path} ({})", crate::text::bytes(size))
    }

    /// `caches`: each cache directory as [`cache`] words it.
    pub fn caches(total: u64, caches: &[String]) -> String {
        format!("Caches hold {} of the image: {}.", crate::text::bytes(total), crate::text::and_list(caches))
    }
}

fn check(ctx: &Context<'_>, out: &mut Findings) {
    let Some(model) = &ctx.image else { return };
    let sizes = super::directory_sizes(model.facts, 5);
    let caches: Vec<(&String, &(u64, u64))> = sizes.iter().filter(|(p, (b, _))| *b >= MIN_BYTES && is_cache(p)).collect();
    if caches.is_empty() {
        return;
    }
    let total: u64 = caches.iter().map(|(_, (b, _))| *b).sum();
    let list: Vec<String> = caches.iter().map(|(p, (b, _))| message::cache(p, *b)).collect();
    out.report(message::caches(total, &list)).at_all(caches.iter().map(|(p, (b, f))| Location::ImageTree {
        path: (*p).clone(),
        bytes: *b,
        files: *f,
    }));
}

#[cfg(test)]
mod tests {
    use crate::testkit::*;

    #[test]
    fn pip_and_conda_caches_are_reported() {
        let image =
            ImageBuilder::good().file("/root/.cache/pip/http/a", 300_000_000).file("/opt/conda/pkgs/numpy.tar.bz2", 50_000_000).build();
        let found = findings(&facts(Some(image), None, None), "SIZE003");
        assert_eq!(found.len(), 1);
        assert_eq!(located_at(&found[0]), ["/opt/conda/pkgs/ (50.0 MB in 1 file)", "/root/.cache/pip/ (300 MB in 1 file)"]);
        assert!(found[0].message.contains("350 MB"), "{}", found[0].message);
    }

    #[test]
    fn clean_image_passes() {
        let image = ImageBuilder::good().file("/root/.cache/pip/small", 1000).build();
        assert!(findings(&facts(Some(image), None, None), "SIZE003").is_empty());
    }
}
