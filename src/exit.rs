//! The exit statuses of every command and of the reader, below both `cli` and
//! `tui` so neither reaches into the other for them.

/// Exit status: nothing wrong.
pub const EXIT_OK: i32 = 0;
/// Exit status: problems found (check), or the command failed.
pub const EXIT_PROBLEMS: i32 = 1;
/// Exit status: the input could not be read at all, or the config is wrong.
pub const EXIT_UNUSABLE: i32 = 2;
