//! Errors Studio and the SageMaker API give for problems of the account rather than of the image
//! (permissions, names already in use, an Image in a state that refuses the call): no rule can
//! see them in an image, a Dockerfile or an AppImageConfig, so the error look-up says what they
//! mean instead of ranking rules. Each is written once, as users quoted it, `{name}` for a
//! variable part.

use serde::Serialize;

/// An account-side error and what it means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct AccountError {
    /// As quoted, `{name}` for a variable part.
    pub message: &'static str,
    /// What it means and where to look.
    pub meaning: &'static str,
}

/// The account-side errors quoted in the threads the rules' messages come from (the samples
/// repository's DEVELOPMENT.md and issue #17; the CreateImage documentation).
pub const ACCOUNT_ERRORS: &[AccountError] = &[
    AccountError {
        message: "\"ImageVersionStatus\": \"CREATED_FAILED\"",
        meaning: "SageMaker could not create the image version from the ECR image. AWS names permissions as the common \
cause: the role given to CreateImage must be allowed to pull from the repository (the AmazonSageMakerFullAccess policy \
only covers repositories whose name contains `sagemaker`); a BaseImage URI or tag that does not exist fails the same \
way. DescribeImageVersion's FailureReason says which.",
    },
    AccountError {
        message: "The Image with ImageName {name} already exists",
        meaning: "A SageMaker Image of that name already exists in this account and region: add a version to it \
(CreateImageVersion) instead of creating it again, or choose another ImageName.",
    },
    AccountError {
        message: "Image {name} is in an invalid state",
        meaning: "The SageMaker Image is in a state that refuses the call (still being created or deleted, or its \
creation failed): DescribeImage's ImageStatus and FailureReason say which; wait for CREATED, or delete it and create \
it again.",
    },
    AccountError {
        message: "The ID or Name specified is already in use",
        meaning: "A resource of that name (an AppImageConfig, an Image) already exists in this account and region: \
update it (UpdateAppImageConfig, CreateImageVersion) or choose another name.",
    },
];
