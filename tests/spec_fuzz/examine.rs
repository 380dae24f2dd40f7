//! Runs the library on one spec tree, in process, as `cloudspec check` and a build script would:
//! `load`, `check`, rendering every diagnostic, then — for an accepted spec — the pipeline
//! (`cloudspec::generate`) with both layouts (the single file a build script includes, and the crate
//! `cloudspec generate` writes).
//!
//! Every stage runs under `catch_unwind` on a thread of its own, with a rayon pool of its own whose
//! threads are named, so a panic anywhere (in a rayon task too) is recorded with its location and
//! nothing is printed; a watchdog turns a spec that takes longer than the time limit into a hang.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Mutex, Once, OnceLock, mpsc};
use std::time::{Duration, Instant};

use cloudspec::diagnostics::Severity;

use super::secrets::{self, Leak};
use super::tree::Case;

/// A stage of the pipeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    /// `cloudspec::load::load`.
    Load,
    /// `cloudspec::check::check`.
    Check,
    /// Rendering the diagnostics.
    Render,
    /// `cloudspec::generate` with the single-file layout (check, resolve, emit, format).
    SingleFile,
    /// `cloudspec::generate` with the crate layout.
    CrateFiles,
}

const STAGES: [Stage; 5] = [Stage::Load, Stage::Check, Stage::Render, Stage::SingleFile, Stage::CrateFiles];

impl Stage {
    /// Its name in reports.
    pub fn name(self) -> &'static str {
        match self {
            Stage::Load => "load",
            Stage::Check => "check",
            Stage::Render => "render",
            Stage::SingleFile => "single_file",
            Stage::CrateFiles => "crate_files",
        }
    }
}

/// What became of one spec tree before compilation.
#[derive(Debug, Clone)]
pub enum Verdict {
    /// `check` found errors, and at least one of them is located (file and line).
    Rejected {
        /// The codes of its errors.
        codes: Vec<&'static str>,
    },
    /// `check` accepted it and code was generated.
    Accepted {
        /// The generated file, for `include!`.
        code: String,
        /// Sensitive fields whose generated type shows them in `Debug`.
        leaks: Vec<Leak>,
    },
    /// The library misbehaved.
    Failed(Failure),
}

/// How the library misbehaved on a spec, before any compiler saw its code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// A panic.
    Panic {
        /// Where the pipeline was.
        stage: Stage,
        /// The panic message.
        message: String,
        /// `file:line:column` of the panic.
        location: String,
    },
    /// The spec took longer than the time limit.
    Hang {
        /// Where the pipeline was when the time ran out.
        stage: Stage,
    },
    /// `check` rejected the spec without pointing at any line.
    Unlocated {
        /// The codes of its errors.
        codes: Vec<String>,
    },
    /// `load` refused the paths themselves.
    LoadError(String),
    /// A layout function returned an error for a spec `check` accepted.
    GenerateError(String),
}

/// The outcome of [`examine`], with the time it took.
#[derive(Debug, Clone)]
pub struct Examined {
    /// What happened.
    pub verdict: Verdict,
    /// Wall time of all stages.
    pub elapsed: Duration,
}

#[derive(Debug, Clone)]
struct PanicRecord {
    message: String,
    location: String,
}

static PANICS: Mutex<Vec<PanicRecord>> = Mutex::new(Vec::new());
/// One spec at a time: the panic records are not told apart by spec.
static EXAMINING: Mutex<()> = Mutex::new(());
const THREAD_PREFIX: &str = "spec-fuzz";

/// Records panics on the fuzzer's threads (and keeps them quiet); any other thread's panic is
/// printed as before, so a failing test still shows its message.
fn install_panic_hook() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let ours = std::thread::current().name().is_some_and(|n| n.starts_with(THREAD_PREFIX));
            if !ours {
                return previous(info);
            }
            let message = info
                .payload()
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| info.payload().downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "(a non-string payload)".into());
            let location =
                info.location().map(|l| format!("{}:{}:{}", l.file(), l.line(), l.column())).unwrap_or_default();
            PANICS.lock().unwrap_or_else(|e| e.into_inner()).push(PanicRecord { message, location });
        }));
    });
}

fn pool() -> &'static rayon::ThreadPool {
    static POOL: OnceLock<rayon::ThreadPool> = OnceLock::new();
    POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .thread_name(|i| format!("{THREAD_PREFIX}-rayon-{i}"))
            // The size of a main thread's stack: a spec that overflows it would crash `cloudspec check`.
            .stack_size(8 << 20)
            .build()
            .expect("a two-thread pool")
    })
}

/// Writes the case under `work` and runs every stage on it, within `limit`.
pub fn examine(case: &Case, work: &Path, limit: Duration) -> Examined {
    install_panic_hook();
    let _one_at_a_time = EXAMINING.lock().unwrap_or_else(|e| e.into_inner());
    PANICS.lock().unwrap_or_else(|e| e.into_inner()).clear();
    let started = Instant::now();
    // A directory per spec: a hung spec's thread may still be reading its own.
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let root = work.join(format!("specs-{}", COUNTER.fetch_add(1, Ordering::Relaxed)));
    let _ = std::fs::remove_dir_all(&root);
    if let Err(error) = case.tree.write_to(&root) {
        let verdict = Verdict::Failed(Failure::LoadError(format!("cannot write the spec tree: {error}")));
        return Examined { verdict, elapsed: started.elapsed() };
    }
    let stage = Arc::new(AtomicU8::new(0));
    let (sender, receiver) = mpsc::channel();
    let thread_stage = Arc::clone(&stage);
    let thread_root = root.clone();
    let spawned =
        std::thread::Builder::new().name(format!("{THREAD_PREFIX}-examine")).stack_size(8 << 20).spawn(move || {
            let result = catch_unwind(AssertUnwindSafe(|| pool().install(|| stages(thread_root, &thread_stage))));
            let _ = sender.send(result.map_err(|payload| payload_text(payload.as_ref())));
        });
    let verdict = match spawned {
        Err(error) => Verdict::Failed(Failure::LoadError(format!("cannot start a thread: {error}"))),
        Ok(_) => match receiver.recv_timeout(limit) {
            Ok(Ok(verdict)) => verdict,
            Ok(Err(payload)) => {
                let record = PANICS.lock().unwrap_or_else(|e| e.into_inner()).first().cloned();
                let record = record.unwrap_or(PanicRecord { message: payload, location: String::new() });
                let stage = STAGES[usize::from(stage.load(Ordering::SeqCst))];
                Verdict::Failed(Failure::Panic { stage, message: record.message, location: record.location })
            }
            // The thread is left running: a thread cannot be stopped from outside.
            Err(_) => Verdict::Failed(Failure::Hang { stage: STAGES[usize::from(stage.load(Ordering::SeqCst))] }),
        },
    };
    let elapsed = started.elapsed();
    if !matches!(verdict, Verdict::Failed(Failure::Hang { .. })) {
        let _ = std::fs::remove_dir_all(&root);
    }
    Examined { verdict, elapsed }
}

fn payload_text(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(a non-string payload)".into())
}

fn enter(stage: &AtomicU8, which: Stage) {
    stage.store(STAGES.iter().position(|s| *s == which).unwrap_or(0) as u8, Ordering::SeqCst);
}

fn stages(root: PathBuf, stage: &AtomicU8) -> Verdict {
    enter(stage, Stage::Load);
    let set = match cloudspec::load::load(std::slice::from_ref(&root)) {
        Ok(set) => set,
        Err(error) => return Verdict::Failed(Failure::LoadError(error.to_string())),
    };
    enter(stage, Stage::Check);
    let report = cloudspec::check::check(&set);
    enter(stage, Stage::Render);
    let rendered: usize = report.diagnostics.iter().map(|d| d.render().len()).sum();
    let _ = (rendered, report.summary_line());
    if report.errors() > 0 {
        let errors: Vec<_> = report.diagnostics.iter().filter(|d| d.severity == Severity::Error).collect();
        let located = errors.iter().any(|d| d.location.is_some() && !d.file.is_empty());
        if !located {
            let mut codes: Vec<String> = errors.iter().map(|d| d.code.to_string()).collect();
            codes.sort();
            codes.dedup();
            return Verdict::Failed(Failure::Unlocated { codes });
        }
        return Verdict::Rejected { codes: errors.iter().map(|d| d.code).collect() };
    }
    enter(stage, Stage::SingleFile);
    let single = cloudspec::Options::new(cloudspec::Layout::SingleFile("cloudspec.rs".into()), &root);
    let file = match cloudspec::generate(&set, &single) {
        Ok((mut files, _)) if files.len() == 1 => files.remove(0),
        Ok((files, _)) => {
            return Verdict::Failed(Failure::GenerateError(format!("single_file: {} files", files.len())));
        }
        Err(error) => return Verdict::Failed(Failure::GenerateError(format!("single_file: {}", failure_text(&error)))),
    };
    let leaks = secrets::unredacted(&set, &file.contents);
    enter(stage, Stage::CrateFiles);
    let layout = cloudspec::Layout::Crate(cloudspec::layout::CrateOptions::default());
    if let Err(error) = cloudspec::generate(&set, &cloudspec::Options::new(layout, &root)) {
        return Verdict::Failed(Failure::GenerateError(format!("crate_files: {}", failure_text(&error))));
    }
    Verdict::Accepted { code: file.contents, leaks }
}

/// A pipeline failure on a spec `check` accepted: an output error, or (which would be a bug of its
/// own) errors the pipeline's check found and this module's did not.
fn failure_text<E: std::fmt::Display>(failure: &cloudspec::Failure<'_, E>) -> String {
    match failure {
        cloudspec::Failure::Specs(report) => format!("the pipeline's check disagrees: {}", report.summary_line()),
        cloudspec::Failure::Output(error) => error.to_string(),
    }
}
