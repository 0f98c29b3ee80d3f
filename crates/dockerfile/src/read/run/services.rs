//! What a RUN starts or runs besides installing files: services started at build time
//! (`service x start`, `systemctl enable`, init scripts, daemons run directly) and NVIDIA driver
//! `.run` installers.

use alloc::string::{String, ToString};

use smic_rules::facts::ServiceStart;

use super::super::paths::base_name;
use super::RunContext;
use crate::shell::script::SimpleCommand;

impl RunContext<'_> {
    pub(super) fn service(&mut self, name: &str, cmd: &SimpleCommand) {
        let service = name.rsplit('/').next().unwrap_or(name).to_string();
        self.facts.services.push(ServiceStart { service, command: cmd.words.join(" "), span: self.span });
    }

    /// `./NVIDIA-Linux-x86_64-535.run`, `sh cuda_12.2.0_535_linux.run --silent --driver`.
    pub(super) fn driver_installer(&mut self, words: &[String]) {
        let program = words.first().map(|w| base_name(w)).unwrap_or("");
        let file = if matches!(program, "sh" | "bash") { words.get(1).map(|w| base_name(w)).unwrap_or("") } else { program };
        if !file.ends_with(".run") {
            return;
        }
        let lower = file.to_ascii_lowercase();
        let toolkit_only = words.iter().any(|w| w == "--toolkit") && !words.iter().any(|w| w == "--driver");
        if lower.contains("nvidia") || (lower.starts_with("cuda") && !toolkit_only) {
            self.facts.driver_installers.push((file.to_string(), self.span));
        }
    }
}
