//! Spec section "GID/UID limits": Studio Classic supports only 1000/100 and 0/0, the image's
//! user must be what the AppImageConfig says, and no layer may carry an id above 65535.

pub mod id_above_65535;
pub mod uid_gid_mismatch;
pub mod uid_gid_not_supported;
pub mod uid_shared_by_several_users;
pub mod uid_without_passwd_entry;
pub mod user_not_found;

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::context::Context;
use crate::report::Location;
use crate::rules::evidence;
use crate::vocabulary::FilePattern;

pub(crate) const SPEC_PAIRS: &str = "Amazon SageMaker Studio only supports the following DefaultUID and DefaultGID combinations: \
DefaultUID: 1000 and DefaultGID: 100, which corresponds to a non-privileged user. DefaultUID: 0 and DefaultGID: 0, which corresponds to root access.";

pub(crate) const USER_FILES: &[FilePattern] = &[FilePattern::new("/etc/passwd", 1024 * 1024), FilePattern::new("/etc/group", 1024 * 1024)];

/// Spec: the only supported (uid, gid) pairs.
pub(crate) fn supported(uid: u64, gid: u64) -> bool {
    matches!((uid, gid), (1000, 100) | (0, 0))
}

/// The user the image runs as, from whichever input knows it best (the archive over the
/// Dockerfile), with its evidence.
pub(crate) struct EffectiveUser {
    pub uid: Option<u64>,
    pub gid: Option<u64>,
    /// "the image's user sagemaker-user" / "USER 1000 of the Dockerfile".
    pub description: String,
    pub locations: Vec<Location>,
}

pub(crate) fn effective_user(ctx: &Context<'_>) -> Option<EffectiveUser> {
    if let Some(model) = &ctx.image {
        let user = &model.user;
        let mut locations = alloc::vec![Location::image_config("User", user.spec.clone())];
        let name = user.name.as_deref().filter(|n| *n != user.spec).map(|n| format!(" ({n})")).unwrap_or_default();
        let description = if user.spec.is_empty() {
            String::from("The image runs as root (config User is empty)")
        } else {
            format!("The image's user {:?}{name}", user.spec)
        };
        if let Some(entry) = model.facts.files.get("/etc/passwd") {
            locations.push(Location::image_file(entry));
        }
        return Some(EffectiveUser { uid: user.uid, gid: user.gid, description, locations });
    }
    let stage = ctx.stage()?;
    let Some(user) = &stage.user else {
        return None; // inherited from the base image: unknown without the archive
    };
    let mut locations: Vec<Location> = evidence::dockerfile(ctx, user.span).into_iter().collect();
    if let Some(span) = user.created_at.filter(|s| *s != user.span) {
        locations.extend(evidence::dockerfile(ctx, span));
    }
    let how = user.gid_reason.as_deref().map(|r| format!(" ({r})")).unwrap_or_default();
    Some(EffectiveUser { uid: user.uid, gid: user.gid, description: format!("The Dockerfile's `USER {}`{how}", user.value), locations })
}

pub(crate) fn ids(uid: Option<u64>, gid: Option<u64>) -> String {
    let show = |v: Option<u64>| v.map(|v| format!("{v}")).unwrap_or_else(|| String::from("?"));
    format!("{}/{}", show(uid), show(gid))
}
