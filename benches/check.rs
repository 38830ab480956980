//! Throughput of `check` end to end, the share of it spent in the pest parse, how it scales,
//! a typical file, a long chain of imports, and several files in parallel. Run with `cargo bench --bench check`;
//! `cargo bench --bench check -- --write FILE MB` only writes a synthetic file.

mod synth;

use pest::Parser;
use salespath::config::Config;
use salespath::session::{check_one, Input, Options};
use salespath::syntax::{Rule, SalesParser};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// The fastest of `runs` timings: the least disturbed by other work on the machine.
fn best_of(runs: usize, mut f: impl FnMut()) -> Duration {
    (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .min()
        .unwrap()
}

fn check_text(text: &str) {
    let input = Input::Text {
        name: "synthetic.sales".into(),
        text: text.as_bytes().to_vec(),
        base: None,
    };
    let checked = check_one(&input, &Config::default(), &Options::default()).unwrap();
    assert!(
        checked.diagnostics.is_empty(),
        "the generator makes clean files: {:?}",
        checked.diagnostics.first()
    );
}

/// A folder of `files` files, each importing the next.
fn import_chain(files: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..files {
        let import = if i + 1 < files {
            format!("import \"f{}.sales\"\n", i + 1)
        } else {
            String::new()
        };
        std::fs::write(
            dir.path().join(format!("f{i}.sales")),
            format!("{import}role r{i}\n"),
        )
        .unwrap();
    }
    dir
}

/// Checks the head of an import chain.
fn check_chain(dir: &tempfile::TempDir) {
    let input = Input::Path(dir.path().join("f0.sales"));
    let checked = check_one(&input, &Config::default(), &Options::default()).unwrap();
    assert!(!checked.has_errors());
}

fn mb(bytes: usize) -> f64 {
    bytes as f64 / 1_000_000.0
}

fn main() {
    // `cargo bench --bench check -- --write FILE MB` writes a synthetic file and stops, to
    // profile or time the binary on it.
    let args: Vec<String> = std::env::args().collect();
    if let Some(at) = args.iter().position(|a| a == "--write") {
        let path = &args[at + 1];
        let megabytes: f64 = args.get(at + 2).and_then(|m| m.parse().ok()).unwrap_or(1.0);
        std::fs::write(path, synth::generate((megabytes * 1e6) as usize, 1)).unwrap();
        return;
    }
    let small = synth::generate(1_000_000, 1);
    let large = synth::generate(10_000_000, 1);

    let t_small = best_of(5, || check_text(&small));
    let t_large = best_of(3, || check_text(&large));
    let t_parse = best_of(3, || {
        SalesParser::parse(Rule::file, &large).expect("parses");
    });
    println!(
        "check, 10 MB file:      {:>7.1} MB/s end to end ({:.0} ms for {:.1} MB)",
        mb(large.len()) / t_large.as_secs_f64(),
        t_large.as_secs_f64() * 1000.0,
        mb(large.len())
    );
    println!(
        "pest parse alone:       {:>7.1} MB/s, {:.0}% of the end-to-end time",
        mb(large.len()) / t_parse.as_secs_f64(),
        100.0 * t_parse.as_secs_f64() / t_large.as_secs_f64()
    );
    let t_parse_small = best_of(5, || {
        SalesParser::parse(Rule::file, &small).expect("parses");
    });
    println!(
        "scaling, 1 MB -> 10 MB: {:>7.1}x the time for {:.1}x the input ({:.1}x for the parse alone)",
        t_large.as_secs_f64() / t_small.as_secs_f64(),
        large.len() as f64 / small.len() as f64,
        t_parse.as_secs_f64() / t_parse_small.as_secs_f64()
    );

    let reference =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/reference/enterprise.sales");
    let input = Input::Path(reference);
    let t = best_of(20, || {
        check_one(&input, &Config::default(), &Options::default()).unwrap();
    });
    println!(
        "typical file:           {:>7.2} ms (the reference example)",
        t.as_secs_f64() * 1000.0
    );

    // Several files through the binary: one thread per core.
    let (short, long) = (import_chain(1_000), import_chain(10_000));
    let t_chain_short = best_of(5, || check_chain(&short));
    let t_chain_long = best_of(3, || check_chain(&long));
    println!(
        "import chain, 10,000:   {:>7.0} ms, {:.1}x the time of 1,000 files (linear: 10x)",
        t_chain_long.as_secs_f64() * 1000.0,
        t_chain_long.as_secs_f64() / t_chain_short.as_secs_f64()
    );

    let dir = tempfile::tempdir().unwrap();
    let files = 8;
    for i in 0..files {
        std::fs::write(
            dir.path().join(format!("p{i}.sales")),
            synth::generate(1_000_000, i),
        )
        .unwrap();
    }
    let binary = env!("CARGO_BIN_EXE_salespath");
    let t_parallel = best_of(3, || {
        let status = std::process::Command::new(binary)
            .arg("check")
            .arg(dir.path())
            .output()
            .unwrap();
        assert!(status.status.success());
    });
    let t_serial = best_of(3, || {
        for i in 0..files {
            let text = std::fs::read_to_string(dir.path().join(format!("p{i}.sales"))).unwrap();
            check_text(&text);
        }
    });
    println!(
        "{files} files of 1 MB:       {:>7.0} ms on all cores ({} here), {:.0} ms one after another",
        t_parallel.as_secs_f64() * 1000.0,
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        t_serial.as_secs_f64() * 1000.0
    );
}
