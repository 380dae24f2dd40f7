//! How the commands end: the exit status of a usage error, and leaving large values to the process exit.

/// Exit status for a usage error (clap uses the same).
pub(crate) const USAGE: u8 = 2;

/// Lets the process exit reclaim `value`: freeing a whole catalogue's specs or code model one
/// allocation at a time takes a quarter of a second on one thread, for nothing.
pub(crate) fn leave_to_exit<T>(value: T) {
    std::mem::forget(value);
}
