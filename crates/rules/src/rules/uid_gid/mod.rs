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
use crate::facts::DockerfileUser;
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
    /// Whether the ids were assumed from the table of base images (weaker evidence: a finding
    /// built on them is a warning at most).
    pub assumed: bool,
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
        return Some(EffectiveUser { uid: user.uid, gid: user.gid, description, locations, assumed: false });
    }
    let stage = ctx.stage()?;
    let Some(user) = &stage.user else {
        // Inherited from the base image: known only from the table of base images.
        let base = ctx.base_image()?;
        let account = base.row.user.known()?;
        return Some(EffectiveUser {
            uid: Some(account.uid),
            gid: Some(account.gid),
            description: format!("The base image's user {} ({})", account.name, base.assumed()),
            locations: evidence::base_image_from(ctx).into_iter().collect(),
            assumed: true,
        });
    };
    let mut locations: Vec<Location> = evidence::dockerfile(ctx, user.span).into_iter().collect();
    if let Some(span) = user.created_at.filter(|s| *s != user.span) {
        locations.extend(evidence::dockerfile(ctx, span));
    }
    if let Some(account) = base_account(ctx, user) {
        locations.extend(evidence::base_image_from(ctx));
        let how = match account.name {
            Some(name) => format!("user {name} with uid/gid {}:{} in the base image", account.uid, account.gid),
            None => format!("no account has uid {} in the base image, so it runs with gid {}", account.uid, account.gid),
        };
        let description = format!("The Dockerfile's `USER {}` ({how}; {})", user.value, account.assumed);
        return Some(EffectiveUser { uid: Some(account.uid), gid: Some(account.gid), description, locations, assumed: true });
    }
    let how = user.gid_reason.as_deref().map(|r| format!(" ({r})")).unwrap_or_default();
    let description = format!("The Dockerfile's `USER {}`{how}", user.value);
    Some(EffectiveUser { uid: user.uid, gid: user.gid, description, locations, assumed: false })
}

/// A Dockerfile's USER resolved through the base image's accounts as the table of base images
/// lists them (the Dockerfile created no such user).
pub(crate) struct BaseAccount {
    pub uid: u64,
    pub gid: u64,
    /// The base image's account; `None` for a uid no account has (Docker runs it with gid 0).
    pub name: Option<&'static str>,
    /// "assumed from the base image …".
    pub assumed: String,
}

/// `None` when the Dockerfile creates the user or edits the account files itself, when the base
/// is not in the table, or when the table does not know the account.
pub(crate) fn base_account(ctx: &Context<'_>, user: &DockerfileUser) -> Option<BaseAccount> {
    let stage = ctx.stage()?;
    let base = ctx.base_image()?;
    let edits_accounts = stage.writes.iter().any(|w| ACCOUNT_FILES.contains(&w.path.as_str()))
        || stage.runs.iter().any(|(text, _)| ACCOUNT_FILES.iter().any(|f| text.contains(f)));
    if user.created_at.is_some() || edits_accounts {
        return None;
    }
    let (user_part, group_part) = match user.value.split_once(':') {
        Some((u, g)) => (u, Some(g)),
        None => (user.value.as_str(), None),
    };
    if group_part.is_none() && user.gid.is_some() {
        return None; // the reader resolved it through an account the Dockerfile made
    }
    let numeric = user.uid.or_else(|| user_part.parse().ok());
    let account = match numeric {
        Some(uid) if base.row.lacks_uid(uid) => None,
        Some(uid) => Some(base.row.account_by_uid(uid)?),
        None => Some(base.row.account_by_name(user_part)?),
    };
    let uid = match account {
        Some(a) => a.uid,
        None => numeric?,
    };
    // Spec (Docker): a uid without a passwd entry runs with gid 0 unless USER names a group.
    let gid = match group_part {
        Some(_) => user.gid?,
        None => account.map_or(0, |a| a.gid),
    };
    Some(BaseAccount { uid, gid, name: account.map(|a| a.name), assumed: base.assumed() })
}

const ACCOUNT_FILES: &[&str] = &["/etc/passwd", "/etc/group"];

pub(crate) fn ids(uid: Option<u64>, gid: Option<u64>) -> String {
    let show = |v: Option<u64>| v.map(|v| format!("{v}")).unwrap_or_else(|| String::from("?"));
    format!("{}/{}", show(uid), show(gid))
}
