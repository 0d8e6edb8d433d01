//! Numbers as people type and read them.

pub mod decimal;

/// A count and its noun: "1 task", "3 tasks".
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
