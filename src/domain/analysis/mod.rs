//! Reading runs: side-by-side comparison, plain-language insights, and one
//! task's exact numbers for the timeline's card.

pub mod compare;
pub mod compare_table;
pub mod insights;
pub mod task_detail;
pub mod task_table;
