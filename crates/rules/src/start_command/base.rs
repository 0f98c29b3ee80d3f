//! What a Dockerfile's final stage inherits from its base image when only the Dockerfile is
//! given: the ENTRYPOINT and CMD of the base's row in the table of base images
//! ([`crate::base_image`]), merged with Docker's rules with what the stage declares (a CMD keeps
//! the base's ENTRYPOINT; an ENTRYPOINT clears the base's CMD). Every word taken from the table
//! says so and names the row ([`Origin::BaseImage`]); a fact the table does not know is never
//! guessed.

use alloc::string::String;
use alloc::vec::Vec;

use super::{form_words, Origin, Word};
use crate::base_image::{self, BaseMatch};
use crate::facts::{Facts, StageFacts};

/// The final stage and its base's row, without an archive.
fn stage_and_base<'a>(facts: &'a Facts<'a>) -> Option<(&'a StageFacts, BaseMatch)> {
    if facts.image.is_some() {
        return None;
    }
    let stage = facts.dockerfile.as_ref()?.final_stage.as_ref()?;
    Some((stage, base_image::of_stage(stage)?))
}

fn table_words(words: &[&str], field: &'static str, base: &BaseMatch) -> Vec<Word> {
    let origin = Origin::BaseImage { field, assumed: base.assumed() };
    words.iter().map(|w| Word { text: String::from(*w), origin: origin.clone() }).collect()
}

/// ENTRYPOINT and CMD words with the base's supplied for what the final stage does not declare.
/// `None` when the stage declares an ENTRYPOINT (then the base's CMD is cleared: the stage's
/// own words are all there is), the base is not in the table, or what runs depends on a fact
/// the table does not know.
pub(super) fn with_inherited(facts: &Facts<'_>) -> Option<(Vec<Word>, Vec<Word>)> {
    let (stage, base) = stage_and_base(facts)?;
    if stage.entrypoint.is_some() {
        return None;
    }
    let entrypoint = base.row.entrypoint.known()?;
    let cmd = match &stage.cmd {
        Some((form, span)) => form_words(form, *span),
        None => table_words(base.row.cmd.known()?, "CMD", &base),
    };
    Some((table_words(entrypoint, "ENTRYPOINT", &base), cmd))
}

/// Whether, without an archive, the final stage keeps a known, non-empty ENTRYPOINT of its base.
pub(super) fn entrypoint_inherited(facts: &Facts<'_>) -> bool {
    stage_and_base(facts)
        .is_some_and(|(stage, base)| stage.entrypoint.is_none() && base.row.entrypoint.known().is_some_and(|e| !e.is_empty()))
}

/// Whether, without an archive, the base's ENTRYPOINT is known to end by running its arguments
/// (`exec "$@"`, `tini --`): then following the command starts at the CMD.
pub(super) fn entrypoint_hands_over(facts: &Facts<'_>) -> bool {
    stage_and_base(facts).is_some_and(|(_, base)| base.row.entrypoint_runs_arguments.known() == Some(true))
}
