//! HOME003 `mount-path-invalid`: MountPath is not an absolute path of a home-like directory.
//! The declaration, its messages, its check, its examples and its tests.

use alloc::string::String;

use crate::context::Context;
use crate::facts::fs::is_within;
use crate::report::Findings;
use crate::rule::{Example, Rule};
use crate::rules::evidence;
use crate::rules::file_system::RESERVED_DIRS;
use crate::vocabulary::{InputKind, Profile, Section, Severity, Stage};

pub const RULE: Rule = Rule {
    id: "HOME003",
    name: "mount-path-invalid",
    section: Section::UserData,
    spec: super::SPEC_MOUNT,
    severity: Severity::Error,
    stage: Stage::ContainerStart,
    profiles: Profile::CLASSIC,
    requires: &[&[InputKind::AppImageConfig]],
    needs_files: &[],
    summary: "MountPath is not an absolute path of a home-like directory.",
    explanation: "FileSystemConfig MountPath must be an absolute path (pattern `^/.*`, at most 1024 characters). Mounting \
the home directory over a system directory (/, /usr, /opt …) or a reserved one (/opt/ml, /opt/.sagemakerinternal) hides \
the system itself and the app cannot start.",
    fix: "Use a dedicated directory such as /home/sagemaker-user (the default) or /home/<user>/work.",
    explains: &[],
    examples: &[
        Example::bad().app_image_config(r#"{"AppImageConfigName": "custom-image-config", "KernelGatewayImageConfig": {"KernelSpecs": [{"Name": "python3"}], "FileSystemConfig": {"MountPath": "/usr"}}}"#),
        Example::good().app_image_config(r#"{"AppImageConfigName": "custom-image-config", "KernelGatewayImageConfig": {"KernelSpecs": [{"Name": "python3"}], "FileSystemConfig": {"MountPath": "/home/sagemaker-user", "DefaultUid": 1000, "DefaultGid": 100}}}"#),
    ],
    check,
};

const SYSTEM_DIRS: &[&str] = &[
    "/",
    "/bin",
    "/boot",
    "/dev",
    "/etc",
    "/home",
    "/lib",
    "/lib64",
    "/opt",
    "/proc",
    "/run",
    "/sbin",
    "/sys",
    "/tmp",
    "/usr",
    "/usr/local",
    "/var",
];

/// What HOME003 says, with typed arguments: the only place its wording lives.
mod message {
    use alloc::format;
    use alloc::string::String;

    pub fn not_absolute() -> String {
        String::from("is not an absolute path")
    }

    pub fn too_long() -> String {
        String::from("is longer than 1024 characters")
    }

    pub fn hides_system_dir(dir: &str) -> String {
        format!("would hide the system directory {dir}")
    }

    pub fn inside_reserved(dir: &str) -> String {
        format!("is inside the reserved directory {dir}")
    }

    /// `why`: one of the reasons above.
    pub fn invalid(path: &str, why: &str) -> String {
        format!("MountPath {path:?} {why}.")
    }
}

fn check(ctx: &Context<'_>, out: &mut Findings) {
    let Some(field) = ctx.app_image_config().and_then(|c| c.file_system()).and_then(|f| f.mount_path.as_ref()) else {
        return;
    };
    let path = field.value.as_str();
    let normal = crate::facts::fs::normalize(path);
    let why: Option<String> = if !path.starts_with('/') {
        Some(message::not_absolute())
    } else if path.chars().count() > 1024 {
        Some(message::too_long())
    } else if SYSTEM_DIRS.contains(&normal.as_str()) {
        Some(message::hides_system_dir(&normal))
    } else {
        RESERVED_DIRS.iter().find(|d| is_within(&normal, d)).map(|d| message::inside_reserved(d))
    };
    if let Some(why) = why {
        out.report(message::invalid(path, &why)).at_all(evidence::app_image_config(ctx, &field.pointer, Some(String::from(path))));
    }
}

#[cfg(test)]
mod tests {
    use crate::testkit::*;

    fn with_mount(path: &str) -> crate::facts::AppImageConfigFacts {
        app_image_config(&alloc::format!(
            r#"{{"AppImageConfigName": "x", "KernelGatewayImageConfig": {{"KernelSpecs": [{{"Name": "python3"}}], "FileSystemConfig": {{"MountPath": "{path}"}}}}}}"#
        ))
    }

    #[test]
    fn relative_mount_path_fails() {
        let found = findings(&facts(None, None, Some(with_mount("home/sagemaker-user"))), "HOME003");
        assert_eq!(found.len(), 1);
        assert_eq!(
            located_at(&found[0]),
            ["app-image-config.json /KernelGatewayImageConfig/FileSystemConfig/MountPath = home/sagemaker-user"]
        );
        assert!(found[0].message.contains("\"home/sagemaker-user\" is not an absolute path"), "{}", found[0].message);
    }

    #[test]
    fn mount_over_usr_or_opt_ml_fails() {
        let found = findings(&facts(None, None, Some(with_mount("/usr"))), "HOME003");
        assert_eq!(found.len(), 1);
        assert_eq!(located_at(&found[0]), ["app-image-config.json /KernelGatewayImageConfig/FileSystemConfig/MountPath = /usr"]);
        assert!(found[0].message.contains("\"/usr\" would hide the system directory /usr"), "{}", found[0].message);
        let found = findings(&facts(None, None, Some(with_mount("/opt/ml/home"))), "HOME003");
        assert_eq!(found.len(), 1);
        assert_eq!(located_at(&found[0]), ["app-image-config.json /KernelGatewayImageConfig/FileSystemConfig/MountPath = /opt/ml/home"]);
        assert!(found[0].message.contains("\"/opt/ml/home\" is inside the reserved directory /opt/ml"), "{}", found[0].message);
    }

    #[test]
    fn home_directories_pass() {
        assert!(findings(&facts(None, None, Some(with_mount("/home/jovyan/work"))), "HOME003").is_empty());
        assert!(findings(&facts(None, None, Some(with_mount("/root"))), "HOME003").is_empty());
    }
}
