//! The app's components, one per file.

pub mod autorun_confirm;
pub mod code_view;
pub mod compare_view;
pub mod export_panel;
pub mod guess;
pub mod history;
pub mod insights_panel;
pub mod presets;
pub mod results;
pub mod run_controls;
pub mod run_env_notes;
pub mod session_banner;
pub mod share_button;
pub mod stepper;
pub mod task_editor;
pub mod task_generator;
pub mod task_row;
pub mod task_table;
pub mod timeline;
