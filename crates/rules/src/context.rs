//! What Studio will see, derived once from the facts and shared by every rule: the profile (the
//! app that runs the image), the home mount, without an archive the row of the table of base
//! images ([`crate::base_image`]) that the Dockerfile's base matches,
//! and for an image the user it runs as ([`crate::user`]), the Python its start script finds
//! ([`crate::path_lookup`]), the start command it runs ([`crate::start_command`]), its conda environments and the kernels it discovers
//! ([`crate::kernel_discovery`]).

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::base_image::{self, BaseMatch};
use crate::facts::app_image_config::DEFAULT_MOUNT_PATH;
use crate::facts::{AppImageConfigFacts, DockerfileFacts, Facts, FileEntry, ImageFacts, StageFacts};
use crate::kernel_discovery::{self, CondaEnv, Kernel};
use crate::parse::{self, GroupEntry, PasswdEntry};
use crate::path_lookup::{self, PythonInstall};
use crate::start_command::{self, StartCommand};
use crate::user::{resolve_user, ResolvedUser};
use crate::vocabulary::Profile;

pub struct Context<'a> {
    pub facts: &'a Facts<'a>,
    /// The Studio app the image is checked for.
    pub profile: Profile,
    /// The home-directory mount (AppImageConfig MountPath, or Studio's default; fixed in the new
    /// Studio's apps).
    pub mount_path: String,
    /// JSON pointer of MountPath, when the AppImageConfig set it.
    pub mount_pointer: Option<String>,
    pub image: Option<ImageModel<'a>>,
    /// Without an archive: the table's row for the image the Dockerfile's final stage is built
    /// on (following `FROM stage` chains). What it says is assumed, and findings say so.
    pub base: Option<BaseMatch>,
    /// What the container runs in the profile's app, followed to the servers it launches.
    pub start: StartCommand<'a>,
}

impl<'a> Context<'a> {
    pub fn new(facts: &'a Facts<'a>, profile: Profile) -> Context<'a> {
        let (mount_path, mount_pointer) = match &facts.app_image_config {
            // Spec (new Studio): "You can't change the mount path."
            _ if profile != Profile::StudioClassic => (DEFAULT_MOUNT_PATH.to_string(), None),
            Some(c) => {
                let (path, pointer) = c.mount_path();
                (path.trim_end_matches('/').to_string(), pointer.map(String::from))
            }
            None => (DEFAULT_MOUNT_PATH.to_string(), None),
        };
        let mount_path = if mount_path.is_empty() { String::from("/") } else { mount_path };
        let image = facts.image.as_deref().map(|image| ImageModel::new(image, &mount_path));
        // The archive always wins over the table.
        let base = match &facts.image {
            Some(_) => None,
            None => facts.dockerfile.as_ref().and_then(|d| d.final_stage.as_ref()).and_then(base_image::of_stage),
        };
        let start = start_command::read(facts, profile);
        Context { facts, profile, mount_path, mount_pointer, image, base, start }
    }

    pub fn dockerfile(&self) -> Option<&'a DockerfileFacts> {
        self.facts.dockerfile.as_ref()
    }
    pub fn stage(&self) -> Option<&'a StageFacts> {
        self.facts.dockerfile.as_ref().and_then(|d| d.final_stage.as_ref())
    }
    pub fn app_image_config(&self) -> Option<&'a AppImageConfigFacts> {
        self.facts.app_image_config.as_ref()
    }
    pub fn image_facts(&self) -> Option<&'a ImageFacts> {
        self.facts.image.as_deref()
    }
    /// The base image's row when the facts come from the table (no archive, a known base).
    pub fn base_image(&self) -> Option<&BaseMatch> {
        self.base.as_ref()
    }
    /// The FROM instruction that names the base image (the start of a `FROM stage` chain).
    pub fn base_from_span(&self) -> Option<crate::facts::Span> {
        self.stage().and_then(|s| s.from.base_image()).map(|(_, span)| span)
    }

    /// "MountPath /x (from the AppImageConfig)" or "the default home mount /home/sagemaker-user".
    pub fn mount_description(&self) -> String {
        match &self.mount_pointer {
            _ if self.profile != Profile::StudioClassic => {
                format!("the space's home volume {} (fixed in {})", self.mount_path, self.profile.app())
            }
            Some(_) => format!("the home-directory mount {} (AppImageConfig MountPath)", self.mount_path),
            None => format!("the home-directory mount {} (Studio's default MountPath)", self.mount_path),
        }
    }
}

/// An image as Studio will run it.
pub struct ImageModel<'a> {
    pub facts: &'a ImageFacts,
    pub passwd: Option<Vec<PasswdEntry>>,
    pub groups: Option<Vec<GroupEntry>>,
    pub user: ResolvedUser,
    pub path_dirs: Vec<String>,
    pub home: Option<String>,
    pub python: Option<PythonInstall>,
    pub conda_envs: Vec<CondaEnv>,
    /// Kernels Studio discovers, in Jupyter's search order (first wins for a name).
    pub kernels: Vec<Kernel>,
    /// kernel.json files that are in the image but on no path Studio searches.
    pub undiscovered_specs: Vec<&'a FileEntry>,
}

impl<'a> ImageModel<'a> {
    pub fn new(facts: &'a ImageFacts, mount_path: &str) -> ImageModel<'a> {
        let passwd = facts.captured("/etc/passwd").map(|f| parse::passwd(f.text()));
        let groups = facts.captured("/etc/group").map(|f| parse::group(f.text()));
        let user = resolve_user(&facts.image_config.user, passwd.as_deref(), groups.as_deref());
        let path_dirs = path_lookup::path_dirs(&facts.image_config);
        let home = facts.image_config.env_var("HOME").map(String::from).or_else(|| user.home.clone()).or_else(|| {
            // Docker sets HOME to / for a uid without passwd entry, /root for root.
            match user.uid {
                Some(0) | None => Some(String::from("/root")),
                Some(_) => Some(String::from("/")),
            }
        });
        let python = path_lookup::find_python(&facts.files, &path_dirs);
        let conda_envs = kernel_discovery::find_conda_envs(facts);
        let discovered = kernel_discovery::discover(facts, python.as_ref(), home.as_deref(), &conda_envs, mount_path);
        ImageModel {
            facts,
            passwd,
            groups,
            user,
            path_dirs,
            home,
            python,
            conda_envs,
            kernels: discovered.kernels,
            undiscovered_specs: discovered.undiscovered_specs,
        }
    }

    /// PATH lookup inside the image (see [`path_lookup::which`]).
    pub fn which(&self, name: &str) -> Option<(String, String)> {
        path_lookup::which(&self.facts.files, &self.path_dirs, name)
    }

    /// The Jupyter data directories Studio's kernel gateway searches, in order.
    pub fn jupyter_data_dirs(&self) -> Vec<String> {
        kernel_discovery::jupyter_data_dirs(&self.facts.image_config, self.python.as_ref(), self.home.as_deref())
    }

    pub fn kernel_named(&self, name: &str) -> Option<&Kernel> {
        self.kernels.iter().find(|k| k.answers_to(name))
    }

    pub fn passwd_entries_with_uid(&self, uid: u64) -> Vec<&PasswdEntry> {
        self.passwd.iter().flatten().filter(|p| p.uid == uid).collect()
    }
}
