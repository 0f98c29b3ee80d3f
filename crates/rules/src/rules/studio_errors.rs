//! The error messages Studio, CloudWatch and the running app show when a custom image fails,
//! each written once, as users quoted them (see the threads named beside each). A rule lists the
//! ones its problem causes in `explains`; `{name}` stands for a variable part.

use crate::rule::ErrorMessage;

/// Studio Classic, a KernelSpecs Name that is not a kernel of the image (samples repo issue #22).
pub const KERNEL_NOT_FOUND: ErrorMessage = ErrorMessage::studio(
    "Kernel with name {kernel} does not exist in image {image} on the KernelGateway App {app}. To make the kernel \
available, either update your AppImageConfig to have same kernel name as available in the image or update your SageMaker Image",
);
/// Studio Classic's app failure reason when the KernelGateway does not come up (samples repo issue #28).
pub const LAUNCH_FAILED: ErrorMessage = ErrorMessage::studio("Failed to launch app {app}. InternalFailure");
/// The new Studio's space status with nothing more said (feedback issues #40, #162, #217).
pub const INTERNAL_FAILURE: ErrorMessage = ErrorMessage::studio("InternalFailure");
/// The new Studio's space after 15 minutes (sagemaker-distribution issue #538).
pub const INTERNAL_ERROR: ErrorMessage = ErrorMessage::studio("Internal error");
/// A space whose app never comes up stays in this state until it fails.
pub const SPACE_PENDING: ErrorMessage = ErrorMessage::studio("The space stays Pending");
/// An arm64 image started on Studio's amd64 hosts (samples repo issues #28, #30).
pub const EXEC_FORMAT_ERROR: ErrorMessage = ErrorMessage::cloudwatch("exec {path}: exec format error");
/// Studio Classic's start script finds no kernel it can add (samples repo issue #4).
pub const NOT_ADDING_PYTHON3_KERNEL: ErrorMessage =
    ErrorMessage::cloudwatch("This is not a DLC/Studio image (found Custom), so not adding Python3 kernel.");
/// nb_conda_kernels finds no environment with a kernel package (samples repo issue #4).
pub const NO_CONDA_KERNELS: ErrorMessage = ErrorMessage::cloudwatch("[nb_conda_kernels] enabled, {count} kernels found");
/// A kernel that never starts, in a notebook's kernel picker (feedback issue #244).
pub const DETECTING_KERNEL: ErrorMessage = ErrorMessage::notebook("Detecting kernel…");
/// A kernel started with Studio's own interpreter instead of the image's (samples repo issues #9, #18).
pub const STUDIO_PYTHON: ErrorMessage = ErrorMessage::notebook(
    "The SageMaker Studio notebook launches a kernel using a python installation not present in the Docker container, \
found at /opt/.sagemakerinternal/conda/bin/python",
);
/// Studio Classic's failure reason for a user it cannot map (samples repo DEVELOPMENT.md, PR #8).
pub const UID_GID_MISMATCH: ErrorMessage = ErrorMessage::studio(
    "SageMaker is unable to launch the app using the image {image}. Ensure that the UID/GID provided in the \
AppImageConfig matches the default UID/GID defined in the image.",
);
/// The new Studio's JupyterLab app and root (BioNeMo write-up).
pub const ROOT_NOT_SUPPORTED: ErrorMessage = ErrorMessage::studio("SageMaker JupyterLab doesn't support UID=0 and GID=0 (root)");
/// pip in a notebook of an image whose user cannot write its site-packages (samples repo issue #20).
pub const SITE_PACKAGES_NOT_WRITEABLE: ErrorMessage =
    ErrorMessage::notebook("Defaulting to user installation because normal site-packages is not writeable");
/// A layer with a file owned by a large id (samples repo DEVELOPMENT.md, PR #7).
pub const ID_ABOVE_65535: ErrorMessage = ErrorMessage::studio(
    "SageMaker only supports UIDs/GIDs less than 65535: ensure that your container does not have any layers containing \
a file with a GID/UID higher than 65535",
);
