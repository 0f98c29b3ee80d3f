//! The page's components, one per file, each named after what the user sees.

pub mod app;
pub mod build_args_editor;
pub mod crash_banner;
pub mod drop_zone;
pub mod evidence;
pub mod exports;
pub mod finding;
pub mod findings;
pub mod header;
pub mod image_choice;
pub mod image_panel;
pub mod input_errors;
pub mod input_list;
pub mod notices;
pub mod passed_rules;
pub mod progress_panel;
pub mod report_panel;
pub mod rule_catalog;
pub mod rule_page;
pub mod severity_badge;
pub mod suggestion_panel;
pub mod text_editor;
pub mod verdict;
