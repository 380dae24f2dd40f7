//! The `cloudspec` command line.

// Code generation allocates millions of small token trees; mimalloc makes that markedly faster
// than the system allocator, for the binary only (the library leaves the choice to its users).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cloudspec::cli::main()
}
