//! The `cloudspec` command line.

fn main() -> std::process::ExitCode {
    cloudspec::cli::main()
}
