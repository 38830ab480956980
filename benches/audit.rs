//! Speed and size of `salespath audit` on synthetic histories over the reference example's
//! stages: rows per second and peak memory for 1,000,000 rows, and the time for 100,000 and
//! 10,000,000 rows. Each audit runs in a child process, so its peak memory is its own.
//! Beside each audit, DuckDB runs the SQL of `--emit sql` over the same file (when Python's
//! `duckdb` package is installed), loading it into a table first as a warehouse holds it.
//! Run with `cargo bench --bench audit`; `-- --quick` skips the 10,000,000-row run.

use salespath::audit::synth::{write_history, Synth};
use salespath::audit::{self, DataConfig, Preset, Request, Source, Window};
use salespath::config::Config;
use salespath::session::{check_one, Input, Options};
use std::collections::BTreeMap;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

fn example() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/enterprise.sales")
}

fn model() -> salespath::model::Model {
    check_one(
        &Input::Path(example()),
        &Config::default(),
        &Options::default(),
    )
    .expect("the reference example")
    .model
    .expect("a model")
}

/// Runs one audit of `file` and prints `seconds peak_kib deals`.
fn child(file: &Path) {
    let model = model();
    let process = &model.processes[0];
    let data = DataConfig::default();
    let levels = BTreeMap::new();
    let start = Instant::now();
    let reader = std::fs::File::open(file).expect("the history");
    let report = audit::audit(Request {
        model: &model,
        process,
        history: Some(Source {
            name: file.display().to_string(),
            reader: Box::new(reader),
        }),
        deals: None,
        data: &data,
        preset: Preset::Generic,
        window: Window::default(),
        examples: 5,
        levels: &levels,
    })
    .expect("an audit");
    let json = audit::render::json(&report);
    let seconds = start.elapsed().as_secs_f64();
    std::hint::black_box(json);
    println!("{seconds} {} {}", peak_kib(), report.kpis.deals);
}

/// The process's peak resident memory (Linux `VmHWM`), in KiB.
fn peak_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

fn generate(rows: u64, dir: &Path) -> (PathBuf, u64) {
    let model = model();
    let path = dir.join(format!("history-{rows}.csv"));
    let mut out = BufWriter::new(std::fs::File::create(&path).expect("a temporary file"));
    write_history(
        &mut out,
        &model.processes[0],
        Synth {
            rows,
            seed: 7,
            quirks: true,
        },
    )
    .expect("written");
    out.flush().expect("flushed");
    let bytes = std::fs::metadata(&path).map_or(0, |m| m.len());
    (path, bytes)
}

/// The best of `runs` child runs: (seconds, peak KiB, deals).
fn measure(file: &Path, runs: usize) -> (f64, u64, u64) {
    let me = std::env::current_exe().expect("the bench binary");
    (0..runs)
        .map(|_| {
            let out = Command::new(&me)
                .arg("--child")
                .arg(file)
                .output()
                .expect("a child run");
            let text = String::from_utf8_lossy(&out.stdout);
            let mut parts = text.split_whitespace();
            let seconds: f64 = parts.next().and_then(|s| s.parse().ok()).expect("seconds");
            let peak: u64 = parts.next().and_then(|s| s.parse().ok()).unwrap_or(0);
            let deals: u64 = parts.next().and_then(|s| s.parse().ok()).unwrap_or(0);
            (seconds, peak, deals)
        })
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .expect("a run")
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--child") {
        child(Path::new(&args[i + 1]));
        return;
    }
    let quick = args.iter().any(|a| a == "--quick");
    let dir = tempfile::tempdir().expect("a temporary folder");
    let mut sizes = vec![(100_000u64, 5), (1_000_000, 3)];
    if !quick {
        sizes.push((10_000_000, 1));
    }
    println!("audit of a synthetic stage history (examples/enterprise.sales, with quirks)");
    for (rows, runs) in sizes {
        let (file, bytes) = generate(rows, dir.path());
        let (seconds, peak, deals) = measure(&file, runs);
        println!(
            "{rows:>10} rows  {:>6.1} MB  {deals:>8} deals  {seconds:>7.3} s  {:>10.0} rows/s  peak {:>6.1} MB",
            bytes as f64 / 1e6,
            rows as f64 / seconds,
            peak as f64 / 1024.0
        );
        // Querying the views as written recomputes every view they read: at 10,000,000 rows
        // that takes minutes, so only the tables are timed there.
        match duckdb(&file, dir.path(), rows >= 10_000_000) {
            Some(run) => {
                assert_eq!(
                    run.deals, deals,
                    "DuckDB and the audit count different deals"
                );
                let views = run
                    .views
                    .map_or_else(|| "not run".to_string(), |v| format!("{v:.3} s"));
                println!(
                    "{:>10}   DuckDB: load {:.3} s; result views as written {views}; every view as a table {:.3} s",
                    "", run.load, run.tables
                );
            }
            None => println!(
                "{:>10}   DuckDB: skipped (python3 with the duckdb package is not installed)",
                ""
            ),
        }
        let _ = std::fs::remove_file(file);
    }
}

/// Seconds DuckDB takes over the SQL of `--emit sql` (see benches/duckdb_audit.py).
struct DuckDbRun {
    load: f64,
    views: Option<f64>,
    tables: f64,
    deals: u64,
}

/// DuckDB running `--emit sql` over `file`, or `None` when Python's `duckdb` package is
/// missing.
fn duckdb(file: &Path, dir: &Path, tables_only: bool) -> Option<DuckDbRun> {
    let model = model();
    let sql = dir.join("audit.sql");
    let script = salespath::emit::sql::script(
        &model,
        salespath::model::ProcessId(0),
        &salespath::emit::sql::Settings::default(),
    );
    std::fs::write(&sql, script).expect("the SQL written");
    let runner = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("benches/duckdb_audit.py");
    let mut command = Command::new("python3");
    command
        .arg(runner)
        .arg(&sql)
        .arg(file)
        .arg(&model.processes[0].id);
    if tables_only {
        command.arg("--tables-only");
    }
    let out = command.output().ok()?;
    if !out.status.success() {
        let error = String::from_utf8_lossy(&out.stderr);
        assert!(
            error.contains("No module named 'duckdb'"),
            "DuckDB failed: {error}"
        );
        return None;
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let parts: Vec<&str> = text.split_whitespace().collect();
    let number = |i: usize| parts.get(i).and_then(|p| p.parse::<f64>().ok());
    Some(DuckDbRun {
        load: number(0)?,
        views: number(1),
        tables: number(2)?,
        deals: number(3)? as u64,
    })
}
