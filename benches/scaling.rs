//! How time grows with the size of the input, one dimension at a time: each line times a size
//! and ten times that size, so a ratio well above 10 shows a superlinear path. Run with
//! `cargo bench --bench scaling` (`-- NAME` runs only the dimensions whose name holds NAME).

use salespath::config::Config;
use salespath::diag::{render_human, render_json, HumanOptions};
use salespath::emit;
use salespath::session::{check_one, Checked, Input, Options};
use std::fmt::Write;
use std::time::{Duration, Instant};

/// Time per run: each sample repeats `f` for at least 50 ms, and the fastest of five samples
/// is the least disturbed by other work on the machine.
fn time_per_run(mut f: impl FnMut()) -> Duration {
    (0..5)
        .map(|_| {
            let start = Instant::now();
            let mut runs = 0;
            while runs == 0 || start.elapsed() < Duration::from_millis(50) {
                f();
                runs += 1;
            }
            start.elapsed() / runs
        })
        .min()
        .unwrap()
}

fn check(input: &Input) -> Checked {
    check_one(input, &Config::default(), &Options::default()).expect("readable input")
}

fn text(source: String) -> Input {
    Input::Text {
        name: "scaling.sales".into(),
        text: source.into_bytes(),
        base: None,
    }
}

fn clean(checked: &Checked, what: &str) {
    assert!(
        !checked.has_errors(),
        "{what}: {:?}",
        checked.diagnostics.first()
    );
}

/// One process with `n` open stages.
fn stages(n: usize) -> String {
    let mut s = String::from("role ae \"AE\"\nprocess p {\n");
    for i in 0..n {
        let _ = writeln!(s, "  stage s{i} {{ owner: ae probability: 50% }}");
    }
    s.push_str("  stage won { outcome: won }\n  stage lost { outcome: lost from: any }\n}\n");
    s
}

/// `n` processes of three stages.
fn processes(n: usize) -> String {
    let mut s = String::from("role ae \"AE\"\n");
    for i in 0..n {
        let _ = writeln!(
            s,
            "process p{i} {{\n  stage a {{ owner: ae probability: 50% }}\n  stage won {{ outcome: won }}\n  stage lost {{ outcome: lost from: any }}\n}}"
        );
    }
    s
}

/// `n` warnings: roles nothing uses.
fn warnings(n: usize) -> String {
    let mut s = stages(3);
    for i in 0..n {
        let _ = writeln!(s, "role unused_{i} \"Unused {i}\"");
    }
    s
}

/// A process and a chain of `n` variants, each extending the previous one: each restates a
/// stage, adds one, and removes the one its base added (so every variant has 8 stages).
fn extends(n: usize) -> String {
    let mut s = stages(5);
    let mut base = "p".to_string();
    for i in 0..n {
        let remove = if i > 0 {
            format!("  remove stage x{}\n", i - 1)
        } else {
            String::new()
        };
        let _ = writeln!(
            s,
            "process v{i} extends {base} {{\n{remove}  stage s1 \"S1 of v{i}\" {{ owner: ae }}\n  stage x{i} {{ owner: ae probability: 50% }}\n}}"
        );
        base = format!("v{i}");
    }
    s
}

/// A chain of `n` criteria, each using the previous one, at a stage's exit.
fn criteria(n: usize) -> String {
    let mut s =
        String::from("field f \"F\": bool\nfield g \"G\": bool\ncriteria c0 { a: f  b: g }\n");
    for i in 1..n {
        let _ = writeln!(s, "criteria c{i} {{ a: c{}  b: f }}", i - 1);
    }
    let _ = write!(
        s,
        "process p {{\n  stage a {{ probability: 50% requires: f, g exit: c{} }}\n  stage won {{ outcome: won }}\n  stage lost {{ outcome: lost from: any }}\n}}\n",
        n - 1
    );
    s
}

/// A folder of `n` files, each importing the next.
fn import_chain(n: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..n {
        let import = if i + 1 < n {
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

/// Checks the text and builds its model (`json`), as `salespath build --emit json` does.
fn check_and_build(input: &Input, what: &str) {
    let checked = check(input);
    clean(&checked, what);
    let model = checked.model.as_ref().expect("a model");
    let project = emit::Project {
        units: vec![emit::Unit {
            model,
            sources: &checked.sources,
            processes: checked.own_processes(),
        }],
        org_stages: None,
    };
    emit::run(emit::find("json").unwrap(), &project).expect("json builds");
}

struct Dimension {
    name: &'static str,
    base: usize,
    run: fn(usize) -> Box<dyn FnMut()>,
}

fn dimensions() -> Vec<Dimension> {
    vec![
        Dimension {
            name: "stages (check + json)",
            base: 100,
            run: |n| {
                let input = text(stages(n));
                Box::new(move || check_and_build(&input, "stages"))
            },
        },
        Dimension {
            name: "processes (check + json)",
            base: 100,
            run: |n| {
                let input = text(processes(n));
                Box::new(move || check_and_build(&input, "processes"))
            },
        },
        Dimension {
            name: "diagnostics (human report)",
            base: 1_000,
            run: |n| {
                let checked = check(&text(warnings(n)));
                assert_eq!(checked.diagnostics.len(), n);
                Box::new(move || {
                    let pairs: Vec<_> = checked
                        .diagnostics
                        .iter()
                        .map(|d| (d, &*checked.sources))
                        .collect();
                    render_human(&pairs, HumanOptions::default());
                })
            },
        },
        Dimension {
            name: "diagnostics (JSON report)",
            base: 1_000,
            run: |n| {
                let checked = check(&text(warnings(n)));
                Box::new(move || {
                    let pairs: Vec<_> = checked
                        .diagnostics
                        .iter()
                        .map(|d| (d, &*checked.sources))
                        .collect();
                    render_json(&pairs);
                })
            },
        },
        Dimension {
            name: "imports (chain of files)",
            base: 300,
            run: |n| {
                let dir = import_chain(n);
                Box::new(move || {
                    let checked = check(&Input::Path(dir.path().join("f0.sales")));
                    clean(&checked, "imports");
                })
            },
        },
        Dimension {
            name: "extends depth (check + json)",
            base: 60,
            run: |n| {
                let input = text(extends(n));
                Box::new(move || check_and_build(&input, "extends"))
            },
        },
        Dimension {
            name: "criteria depth (check + json)",
            base: 50,
            run: |n| {
                let input = text(criteria(n));
                Box::new(move || check_and_build(&input, "criteria"))
            },
        },
    ]
}

fn main() {
    let filter: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    println!(
        "{:<32} {:>7} {:>11} {:>7} {:>11} {:>7}",
        "dimension", "size", "time", "10x", "time", "ratio"
    );
    for d in dimensions() {
        if !filter.is_empty() && !filter.iter().any(|f| d.name.contains(f.as_str())) {
            continue;
        }
        let small = time_per_run((d.run)(d.base));
        let large = time_per_run((d.run)(d.base * 10));
        println!(
            "{:<32} {:>7} {:>9.2}ms {:>7} {:>9.2}ms {:>6.1}x",
            d.name,
            d.base,
            small.as_secs_f64() * 1e3,
            d.base * 10,
            large.as_secs_f64() * 1e3,
            large.as_secs_f64() / small.as_secs_f64()
        );
    }
}
