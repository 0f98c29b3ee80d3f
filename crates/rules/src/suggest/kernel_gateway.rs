//! The suggested `KernelGatewayImageConfig` (Studio Classic): `KernelSpecs` from the kernels
//! Studio will find (the archive's kernel discovery, else what the Dockerfile installs), and a
//! `FileSystemConfig` with a usable MountPath and the uid/gid of the image's real user.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::user::{nearest_supported, unsupported_note, ImageUser};
use super::{reported, FileSystemConfig, KernelGatewayImageConfig, KernelSpec, Note};
use crate::base_image::Kernels;
use crate::context::{Context, ImageModel};
use crate::facts::app_image_config::DEFAULT_MOUNT_PATH;
use crate::facts::{AppImageConfigFacts, Facts};
use crate::kernel_discovery::{kernel_name_can_exist, FoundVia, Kernel};
use crate::report::{dockerfile_location, Location, Report};
use crate::rules::kernels::{base_kernels, dockerfile_kernels};
use crate::text::and_list;
use crate::vocabulary::Profile;

/// Spec (API): `KernelSpecs` holds 1 to 5 kernels.
pub const MAX_KERNEL_SPECS: usize = 5;
/// Spec: "If not specified, python3 is displayed."
const STUDIO_DEFAULT_KERNEL: &str = "python3";
const SPECS: &str = "/KernelGatewayImageConfig/KernelSpecs";
const FILE_SYSTEM: &str = "/KernelGatewayImageConfig/FileSystemConfig";

/// A kernel the suggestion may list, and why.
struct Candidate {
    name: String,
    display_name: Option<String>,
    why: String,
    evidence: Vec<Location>,
    /// Listed first because the given AppImageConfig names it.
    given: bool,
}

pub(super) fn suggest(facts: &Facts<'_>, report: &Report, notes: &mut Vec<Note>) -> KernelGatewayImageConfig {
    let given = facts.app_image_config.as_ref();
    // The MountPath decides which kernels the mount hides; its note follows the kernels' (field order).
    let mut mount_notes = Vec::new();
    let mount_path = mount_path(given, report, &mut mount_notes);
    let ctx = Context::new(facts, Profile::StudioClassic);
    let candidates = match (facts.image.as_deref(), ctx.stage()) {
        (Some(image), _) => from_image(&ImageModel::new(image, &mount_path), given, notes),
        (None, Some(_)) => from_dockerfile(&ctx, given, notes),
        (None, None) => from_config(given, notes),
    };
    let base = match (facts.image.as_ref(), ctx.stage()) {
        (None, Some(stage)) => Some(stage.from.image.as_str()).filter(|_| !ships_no_kernel(&ctx)),
        _ => None,
    };
    let kernel_specs = kernel_specs(candidates, base, notes);
    notes.extend(mount_notes);
    let (uid, gid) = ids(&ctx, given, notes);
    KernelGatewayImageConfig { kernel_specs, file_system_config: FileSystemConfig { mount_path, default_uid: uid, default_gid: gid } }
}

/// The table of base images says the Dockerfile's base ships no kernel at all.
fn ships_no_kernel(ctx: &Context<'_>) -> bool {
    matches!(base_kernels(ctx), Some((Kernels::NoneShipped, _)))
}

fn mount_path(given: Option<&AppImageConfigFacts>, report: &Report, notes: &mut Vec<Note>) -> String {
    let field = format!("{FILE_SYSTEM}/MountPath");
    let given_path = given.and_then(|c| Some((c.file_name.as_str(), c.file_system()?.mount_path.as_ref()?)));
    if let Some((file, path)) = given_path {
        let evidence = alloc::vec![Location::app_image_config(file, &path.pointer, Some(path.value.clone()))];
        if !reported(report, "HOME003") {
            let path = String::from(path.value.trim_end_matches('/')).replace("//", "/");
            let path = if path.is_empty() { String::from("/") } else { path };
            notes.push(Note::new(&field, String::from("kept from the given AppImageConfig"), evidence));
            return path;
        }
        let text = format!("the given MountPath {:?} is unusable (HOME003); Studio's default is suggested", path.value);
        notes.push(Note::new(&field, text, evidence));
    } else {
        notes.push(Note::new(&field, String::from("Studio's default home-directory mount"), Vec::new()));
    }
    String::from(DEFAULT_MOUNT_PATH)
}

fn given_display(given: Option<&AppImageConfigFacts>, name: &str) -> Option<String> {
    given?.kernel_specs().iter().find(|s| s.name.as_ref().is_some_and(|n| n.value == name))?.display_name.as_ref().map(|d| d.value.clone())
}

fn given_names(given: Option<&AppImageConfigFacts>) -> Vec<(String, Location)> {
    let Some(config) = given else {
        return Vec::new();
    };
    config
        .kernel_specs()
        .iter()
        .filter_map(|s| s.name.as_ref())
        .map(|n| (n.value.clone(), Location::app_image_config(&config.file_name, &n.pointer, Some(n.value.clone()))))
        .collect()
}

fn from_image(model: &ImageModel<'_>, given: Option<&AppImageConfigFacts>, notes: &mut Vec<Note>) -> Vec<Candidate> {
    let mut out: Vec<Candidate> = Vec::new();
    let candidate = |k: &Kernel, given_display: Option<String>| {
        let how = match (k.found_via, &k.env_prefix) {
            (FoundVia::CondaEnv, Some(prefix)) => format!("the kernel of the conda environment {prefix}, named by nb_conda_kernels"),
            _ => format!("a kernel spec in {}", k.dir),
        };
        let spec_display = k.spec.as_ref().and_then(|s| s.display_name.clone());
        let display_why = match (&given_display, &spec_display) {
            (Some(_), _) => String::from("; DisplayName kept from the given AppImageConfig"),
            (None, Some(_)) => String::from("; DisplayName from its kernel.json"),
            (None, None) => String::new(),
        };
        Candidate {
            name: k.name.clone(),
            display_name: given_display.or(spec_display),
            why: format!("{how}{display_why}"),
            evidence: alloc::vec![Location::image_file(&k.spec_file)],
            given: false,
        }
    };
    for (name, location) in given_names(given) {
        match model.kernels.iter().find(|k| k.answers_to(&name)) {
            Some(k) if !k.hidden_by_mount => {
                let mut c = candidate(k, given_display(given, &name));
                c.name = name;
                c.given = true;
                c.evidence.push(location);
                out.push(c);
            }
            Some(k) => notes.push(Note::new(
                SPECS,
                format!("{name:?} is left out: its spec {} is hidden by the home mount", k.dir),
                alloc::vec![location],
            )),
            None => notes.push(Note::new(
                SPECS,
                format!("{name:?} is left out: Studio finds no kernel of that name in the image (KERN004)"),
                alloc::vec![location],
            )),
        }
    }
    for k in &model.kernels {
        if k.hidden_by_mount {
            let text = format!("{:?} is left out: its spec {} is under the home mount, which hides it at runtime", k.name, k.dir);
            notes.push(Note::new(SPECS, text, alloc::vec![Location::image_file(&k.spec_file)]));
        } else if !out.iter().any(|c| k.answers_to(&c.name)) {
            out.push(candidate(k, None));
        }
    }
    out
}

fn from_dockerfile(ctx: &Context<'_>, given: Option<&AppImageConfigFacts>, notes: &mut Vec<Note>) -> Vec<Candidate> {
    let (Some(dockerfile), Some(stage)) = (ctx.dockerfile(), ctx.stage()) else {
        return Vec::new();
    };
    let mut installed: Vec<Candidate> = Vec::new();
    // The evidence of a conda environment created from a file (its name is in the file).
    let mut env_from_file: Option<Vec<Location>> = None;
    for k in dockerfile_kernels(stage) {
        let evidence = alloc::vec![dockerfile_location(dockerfile, k.span)];
        let Some(name) = k.name else {
            let text = format!("{} makes a kernel whose name the Dockerfile does not say (conda-env-<env>-py); add it once known", k.how);
            notes.push(Note::new(SPECS, text, evidence.clone()));
            env_from_file = Some(evidence);
            continue;
        };
        if installed.iter().any(|c| c.name == name) {
            continue;
        }
        let display_name = stage.kernel_installs.iter().find(|i| i.name.to_lowercase() == name).and_then(|i| i.display_name.clone());
        let why = format!("the Dockerfile installs it ({})", k.how);
        installed.push(Candidate { name, display_name, why, evidence, given: false });
    }
    let base = stage.from.image.as_str();
    let mut out: Vec<Candidate> = Vec::new();
    for (name, location) in given_names(given) {
        if let Some(i) = installed.iter().position(|c| c.name == name) {
            let mut c = installed.remove(i);
            c.display_name = given_display(given, &name).or(c.display_name);
            c.evidence.push(location);
            c.given = true;
            out.push(c);
        } else if let Some(evidence) = env_from_file.as_ref().filter(|_| kernel_name_can_exist(&name)) {
            // `conda env create -f` makes conda-env-<env>-py; `conda env update -f` into the base
            // environment may bring ipykernel and so python3: the file, not the Dockerfile, says.
            let why = String::from(
                "may be a kernel of the conda environment the Dockerfile builds from a file (the file lists its packages): confirm with the image archive",
            );
            let mut evidence = evidence.clone();
            evidence.push(location);
            out.push(Candidate { display_name: given_display(given, &name), name, why, evidence, given: true });
        } else if !ships_no_kernel(ctx) && kernel_name_can_exist(&name) {
            let why =
                format!("not installed by the Dockerfile, so it must come from the base image {base}: confirm with the image archive");
            out.push(Candidate { display_name: given_display(given, &name), name, why, evidence: alloc::vec![location], given: true });
        } else {
            let text = format!("{name:?} is left out: neither the Dockerfile nor its base image {base} installs a kernel of that name");
            notes.push(Note::new(SPECS, text, alloc::vec![location]));
        }
    }
    out.extend(installed);
    out
}

fn from_config(given: Option<&AppImageConfigFacts>, notes: &mut Vec<Note>) -> Vec<Candidate> {
    let mut out = Vec::new();
    for (name, location) in given_names(given) {
        if kernel_name_can_exist(&name) {
            let why =
                String::from("kept from the given AppImageConfig: without the image or its Dockerfile nothing says which kernels exist");
            out.push(Candidate { display_name: given_display(given, &name), name, why, evidence: alloc::vec![location], given: true });
        } else {
            let text = format!("{name:?} is left out: no kernel can have that name (KERN005)");
            notes.push(Note::new(SPECS, text, alloc::vec![location]));
        }
    }
    out
}

/// 1 to 5 specs; the first is the one the launcher shows before the image starts.
/// `base_may_have_kernels`: the Dockerfile's base image, when it may ship kernels of its own.
fn kernel_specs(mut candidates: Vec<Candidate>, base_may_have_kernels: Option<&str>, notes: &mut Vec<Note>) -> Vec<KernelSpec> {
    if candidates.is_empty() {
        let text = match base_may_have_kernels {
            Some(base) => format!(
                "{STUDIO_DEFAULT_KERNEL:?}, Studio's default, because the Dockerfile installs no kernel the checker can see \
(KernelSpecs needs at least one); the base image {base} may ship its own: give the image archive to list them"
            ),
            None => format!(
                "{STUDIO_DEFAULT_KERNEL:?}, Studio's default, because no kernel was found to list (KernelSpecs needs at least one); \
install ipykernel in the image so a kernel of that name exists"
            ),
        };
        notes.push(Note::new(&format!("{SPECS}/0/Name"), text, Vec::new()));
        return alloc::vec![KernelSpec { name: String::from(STUDIO_DEFAULT_KERNEL), display_name: None }];
    }
    if candidates.len() > MAX_KERNEL_SPECS {
        let left_out: Vec<String> = candidates.split_off(MAX_KERNEL_SPECS).into_iter().map(|c| c.name).collect();
        let text = format!(
            "left out (KernelSpecs holds at most {MAX_KERNEL_SPECS}; once the image runs, Studio shows every kernel anyway): {}",
            and_list(&left_out)
        );
        notes.push(Note::new(SPECS, text, Vec::new()));
    }
    let first_why = if candidates.first().is_some_and(|c| c.given) {
        "listed first because the given AppImageConfig names it first"
    } else {
        "listed first because it comes first in the order Studio discovers kernels"
    };
    candidates
        .into_iter()
        .enumerate()
        .map(|(i, c)| {
            let text = if i == 0 { format!("{first_why} (the launcher shows it before the image starts): {}", c.why) } else { c.why };
            notes.push(Note::new(&format!("{SPECS}/{i}/Name"), text, c.evidence));
            KernelSpec { name: c.name, display_name: c.display_name }
        })
        .collect()
}

fn ids(ctx: &Context<'_>, given: Option<&AppImageConfigFacts>, notes: &mut Vec<Note>) -> (u64, u64) {
    let field = format!("{FILE_SYSTEM}/DefaultUid");
    let user = ImageUser::of(ctx);
    match user.as_ref().and_then(|u| Some((u, u.ids()?))) {
        Some((user, (uid, gid))) => {
            let target = nearest_supported(uid, gid);
            if target == (uid, gid) {
                let text = format!("{} runs as {uid}/{gid}, a pair Studio supports", user.description);
                notes.push(Note::new(&field, text, user.evidence.clone()));
            } else {
                notes.push(unsupported_note(&field, user, (uid, gid), target, "1000/100 or 0/0"));
            }
            target
        }
        None => {
            let ((uid, _), (gid, _)) = given.map(|c| c.uid_gid()).unwrap_or(((1000, None), (100, None)));
            let (uid, gid) = (u64::try_from(uid).unwrap_or(1000), u64::try_from(gid).unwrap_or(100));
            let target = nearest_supported(uid, gid);
            let source = if given.is_some() { "the given AppImageConfig's pair (or Studio's default)" } else { "Studio's default pair" };
            let (unknown, evidence) = match user {
                Some(u) => (format!("{} does not resolve to a uid and gid", u.description), u.evidence),
                None => (String::from("The user comes from the base image, unknown without the image archive"), Vec::new()),
            };
            let text = format!("{unknown}; {source} {}/{} is suggested: make sure the image runs as it", target.0, target.1);
            notes.push(Note::new(&field, text, evidence));
            target
        }
    }
}
