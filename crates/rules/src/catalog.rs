//! The catalog: every rule, in the order of the specification's sections. A rule's ID is never
//! reused: removing a rule leaves a gap and moves its ID to [`RETIRED_IDS`]. A test
//! (`tests/catalog_complete.rs`) fails when a rule declared under `rules/` is missing here.

use crate::rule::Rule;
use crate::rules::*;

/// IDs of rules that were removed. No live rule may take one: a user's ignore comment or CI
/// baseline naming it must not silently start meaning another check.
pub static RETIRED_IDS: &[&str] = &[];

pub static RULES: &[&Rule] = &[
    // Running the image
    &running::entrypoint_cmd_ignored::RULE,
    &running::entrypoint_does_setup::RULE,
    &running::port_8888_exposed::RULE,
    &running::server_on_port_8888::RULE,
    &running::architecture_not_amd64::RULE,
    &running::build_platform_not_pinned::RULE,
    &running::config_malformed::RULE,
    &running::config_name_invalid::RULE,
    &running::config_not_kernel_gateway::RULE,
    &running::config_several_app_types::RULE,
    &running::config_tags_invalid::RULE,
    &running::container_config_limits::RULE,
    &running::file_system_config_in_new_app::RULE,
    &running::kernel_gateway_config_for_new_app::RULE,
    &running::app_server_not_started::RULE,
    &running::jupyter_server_settings::RULE,
    &running::code_editor_settings::RULE,
    &running::jupyterlab_version::RULE,
    &running::inherited_entrypoint::RULE,
    // Stopping the image
    &stopping::background_service_not_stopped::RULE,
    // Kernel discovery
    &kernels::no_kernel::RULE,
    &kernels::kernel_spec_invalid::RULE,
    &kernels::kernel_command_not_found::RULE,
    &kernels::kernel_spec_name_not_found::RULE,
    &kernels::kernel_spec_name_never_matches::RULE,
    &kernels::kernel_specs_invalid::RULE,
    &kernels::default_kernel_missing::RULE,
    &kernels::kernel_spec_not_discoverable::RULE,
    &kernels::conda_env_without_kernel::RULE,
    // File system
    &file_system::reserved_path_used::RULE,
    &file_system::studio_log_dir_used::RULE,
    // User data
    &user_data::environment_under_home_mount::RULE,
    &user_data::files_under_home_mount::RULE,
    &user_data::mount_path_invalid::RULE,
    &user_data::mount_path_not_reachable::RULE,
    &user_data::file_system_config_omitted::RULE,
    &user_data::workdir_outside_home::RULE,
    // GID/UID limits
    &uid_gid::uid_gid_not_supported::RULE,
    &uid_gid::uid_gid_mismatch::RULE,
    &uid_gid::id_above_65535::RULE,
    &uid_gid::user_not_found::RULE,
    &uid_gid::uid_without_passwd_entry::RULE,
    &uid_gid::uid_shared_by_several_users::RULE,
    // Metadata
    &metadata::metadata_file_shipped::RULE,
    &metadata::undefined_environment_variable::RULE,
    &metadata::studio_overrides_environment_variable::RULE,
    // GPU
    &gpu::nvidia_driver_in_image::RULE,
    &gpu::cuda_toolkit_present::RULE,
    // Metrics and logging
    &logging::where_to_find_logs::RULE,
    // Image size
    &image_size::image_too_large::RULE,
    &image_size::image_near_size_limit::RULE,
    &image_size::caches_in_image::RULE,
];

/// Looks a rule up by ID or name (case-insensitive).
pub fn rule_by_key(key: &str) -> Option<&'static Rule> {
    RULES.iter().copied().find(|r| r.matches_key(key))
}

#[cfg(test)]
mod tests {
    use super::{RETIRED_IDS, RULES};
    use crate::vocabulary::{Section, Severity, Stage};

    #[test]
    fn rule_ids_and_names_are_unique_and_well_formed() {
        for (i, rule) in RULES.iter().enumerate() {
            assert!(RULES[..i].iter().all(|r| r.id != rule.id && r.name != rule.name), "duplicate {}", rule.id);
            assert!(
                rule.name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{} is not kebab-case",
                rule.name
            );
            assert!(rule.id.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()), "{}", rule.id);
            for text in [rule.spec, rule.summary, rule.explanation, rule.fix] {
                assert!(text.len() > 20 && !text.contains("TODO"), "{}: thin text {text:?}", rule.id);
            }
            assert!(!rule.requires.is_empty(), "{} needs no input", rule.id);
            assert!(!rule.profiles.is_empty(), "{} belongs to no profile", rule.id);
            assert!(rule.profiles.windows(2).all(|w| w[0] < w[1]), "{}: profiles out of order or repeated", rule.id);
        }
    }

    #[test]
    fn every_rule_fails_at_a_stage_its_profiles_go_through() {
        for rule in RULES {
            for profile in rule.profiles {
                assert!(
                    rule.stage == Stage::Never || Stage::of(*profile).contains(&rule.stage),
                    "{} fails at {} which {} does not go through",
                    rule.id,
                    rule.stage.id(),
                    profile.id()
                );
            }
            for message in rule.explains {
                assert!(message.text.len() > 5, "{}: thin error message {:?}", rule.id, message.text);
            }
        }
        assert!(
            RULES.iter().filter(|r| r.severity == Severity::Error).all(|r| r.stage != Stage::Never),
            "an error that never stops a launch is a warning"
        );
    }

    #[test]
    fn no_live_rule_uses_a_retired_id() {
        for rule in RULES {
            assert!(!RETIRED_IDS.contains(&rule.id), "{} is retired and must not be reused", rule.id);
        }
        for (i, id) in RETIRED_IDS.iter().enumerate() {
            assert!(!RETIRED_IDS[..i].contains(id), "{id} retired twice");
        }
    }

    #[test]
    fn every_section_of_the_spec_has_rules_in_spec_order() {
        for section in Section::ALL {
            assert!(RULES.iter().any(|r| r.section == section), "no rule for {}", section.heading());
        }
        assert!(RULES.windows(2).all(|w| w[0].section <= w[1].section), "catalog out of section order");
    }
}
