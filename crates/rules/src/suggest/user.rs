//! The user the suggestion configures: the image's real user (the archive's, else the
//! Dockerfile's `USER`) when Studio supports its uid/gid pair, else a supported pair and the
//! Dockerfile lines that make the image run as it.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::Note;
use crate::context::Context;
use crate::report::Location;
use crate::rules::uid_gid::{effective_user, supported};

/// What is known of the image's user.
pub(super) struct ImageUser {
    pub uid: Option<u64>,
    pub gid: Option<u64>,
    pub name: Option<String>,
    /// "The image's user \"1000:100\" (sagemaker-user)" / "The Dockerfile's `USER 1000`".
    pub description: String,
    pub evidence: Vec<Location>,
}

impl ImageUser {
    /// The user as far as the inputs say (`None`: no image, and the Dockerfile sets no `USER`).
    pub fn of(ctx: &Context<'_>) -> Option<ImageUser> {
        let user = effective_user(ctx)?;
        let name = match &ctx.image {
            Some(model) => model.user.name.clone(),
            None => ctx.stage().and_then(|s| s.user.as_ref()).and_then(|u| u.name.clone()),
        };
        Some(ImageUser { uid: user.uid, gid: user.gid, name, description: user.description, evidence: user.locations })
    }

    /// Both ids, when known.
    pub fn ids(&self) -> Option<(u64, u64)> {
        Some((self.uid?, self.gid?))
    }
}

/// The supported pair closest to `(uid, gid)`: root stays root, anyone else becomes 1000/100.
pub(super) fn nearest_supported(uid: u64, gid: u64) -> (u64, u64) {
    if supported(uid, gid) {
        (uid, gid)
    } else if uid == 0 {
        (0, 0)
    } else {
        (1000, 100)
    }
}

/// The Dockerfile lines that make the image run as `target` (1000/100 or 0/0).
pub(super) fn dockerfile_change(user: &ImageUser, target: (u64, u64)) -> String {
    match (target, user.name.as_deref()) {
        ((0, _), _) => String::from("`USER root` as the last USER instruction (root's primary group is 0)"),
        (_, Some(name)) if name != "root" => format!(
            "`RUN usermod --uid 1000 --gid 100 {name}` (after `groupadd --gid 100 users` if the image has no group 100), \
then `USER {name}` as the last USER instruction"
        ),
        _ => String::from(
            "`RUN useradd --create-home --shell /bin/bash --uid 1000 --gid 100 sagemaker-user` (after `groupadd --gid 100 users` \
if the image has no group 100), then `USER 1000:100` as the last USER instruction",
        ),
    }
}

/// The note for a user whose pair Studio does not support: the pair to use instead and how.
/// `pairs` names the pairs the app supports ("1000/100 or 0/0").
pub(super) fn unsupported_note(field: &str, user: &ImageUser, (uid, gid): (u64, u64), target: (u64, u64), pairs: &str) -> Note {
    let text = format!(
        "{} runs as {uid}/{gid}, which the app does not support (only {pairs}); {}/{} is suggested, and the image must be \
changed to match it: {}",
        user.description,
        target.0,
        target.1,
        dockerfile_change(user, target)
    );
    Note::new(field, text, user.evidence.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(name: Option<&str>) -> ImageUser {
        ImageUser { uid: Some(1001), gid: Some(0), name: name.map(String::from), description: String::from("u"), evidence: Vec::new() }
    }

    #[test]
    fn an_unsupported_pair_becomes_the_nearest_supported_one() {
        assert_eq!(nearest_supported(1000, 100), (1000, 100));
        assert_eq!(nearest_supported(0, 100), (0, 0));
        assert_eq!(nearest_supported(1001, 0), (1000, 100));
    }

    #[test]
    fn a_named_user_is_renumbered_and_a_numeric_one_created() {
        assert!(dockerfile_change(&user(Some("jovyan")), (1000, 100)).starts_with("`RUN usermod --uid 1000 --gid 100 jovyan`"));
        assert!(dockerfile_change(&user(None), (1000, 100))
            .contains("useradd --create-home --shell /bin/bash --uid 1000 --gid 100 sagemaker-user"));
        assert!(dockerfile_change(&user(Some("root")), (0, 0)).starts_with("`USER root`"));
    }
}
