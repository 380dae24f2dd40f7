//! `cloudspec`, the command line. Everything but the allocator lives in the library half of this
//! package, so its tests can reach the spec-tree diff.

// Code generation allocates millions of small token trees; mimalloc makes that markedly faster
// than the system allocator, for the binary only (the libraries leave the choice to their users).
// `no_thp`: mimalloc asks Linux for transparent huge pages by default, and the kernel then zeroes
// 2 MiB pages the generator mostly leaves unused (13 % of a catalogue generation, as system time).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cloudspec_cli::main()
}
