//! How the text backends scale, in memory (no files written): `build` with every backend
//! that needs no external program, and each of them alone, over files of 20, 60 and 200
//! generated processes, and the Salesforce backend over one process of 100 to 1,000 stages.
//! Each series prints the time per step and how much it grew against the input (x3.0 for x3
//! the input is linear), beside `check`. Run with `cargo bench --bench backends`.

mod synth;

use salespath::config::Config;
use salespath::emit::{self, Project, Unit, BACKENDS};
use salespath::session::{check_one, Checked, Input, Options};
use std::time::{Duration, Instant};

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

fn checked(text: &str) -> Checked {
    let input = Input::Text {
        name: "synthetic.sales".into(),
        text: text.as_bytes().to_vec(),
        base: None,
    };
    let checked = check_one(&input, &Config::default(), &Options::default()).unwrap();
    assert!(!checked.has_errors(), "{:?}", checked.diagnostics.first());
    checked
}

fn project(checked: &Checked) -> Project<'_> {
    Project {
        units: vec![Unit {
            model: checked.model.as_ref().unwrap(),
            sources: &checked.sources,
            processes: checked.own_processes(),
        }],
        org_stages: None,
    }
}

/// One process with `stages` open stages, each with an exit criterion and a move to the next
/// two stages.
fn long_process(stages: usize) -> String {
    let mut text = String::from("field amount \"Amount\": currency\nprocess long {\n");
    for i in 0..stages {
        let next = if i + 2 < stages {
            format!("s{}, s{}, lost", i + 1, i + 2)
        } else {
            "won, lost".into()
        };
        text.push_str(&format!(
            "  stage s{i} {{ probability: 50%  requires: amount  exit: amount > {i}  next: {next} }}\n"
        ));
    }
    text.push_str("  stage won { outcome: won }\n  stage lost { outcome: lost }\n}\n");
    text
}

/// Times `f` on each input and prints the series with the growth per step.
fn series(title: &str, sizes: &[usize], f: impl Fn(usize)) {
    let mut last: Option<(usize, f64)> = None;
    let mut line = format!("{title:<14}");
    for (i, size) in sizes.iter().enumerate() {
        let t = best_of(3, || f(i)).as_secs_f64();
        let growth = match last {
            Some((n, before)) if before > 0.0 => {
                format!(" (x{:.1} for x{:.1})", t / before, *size as f64 / n as f64)
            }
            _ => String::new(),
        };
        line.push_str(&format!("  {size}: {:.1} ms{growth}", t * 1000.0));
        last = Some((*size, t));
    }
    println!("{line}");
}

fn main() {
    // About 2.6 KB per generated process: 20, 60 and 200 processes.
    let files: Vec<String> = [52_000, 156_000, 520_000]
        .iter()
        .map(|&bytes| synth::generate(bytes, 1))
        .collect();
    let inputs: Vec<Checked> = files.iter().map(|t| checked(t)).collect();
    let processes: Vec<usize> = inputs
        .iter()
        .map(|c| c.model.as_ref().unwrap().processes.len())
        .collect();
    println!("processes per file:");
    series("check", &processes, |i| {
        checked(&files[i]);
    });
    let text_backends: Vec<_> = BACKENDS.iter().filter(|b| !b.needs_graphviz).collect();
    series("build (all)", &processes, |i| {
        let checked = checked(&files[i]);
        for backend in &text_backends {
            emit::run(backend, &project(&checked)).expect("the backend builds");
        }
    });
    for backend in text_backends {
        series(backend.name, &processes, |i| {
            emit::run(backend, &project(&inputs[i])).expect("the backend builds");
        });
    }
    let stages = [100, 1000];
    let long: Vec<Checked> = stages.iter().map(|&n| checked(&long_process(n))).collect();
    println!("stages in one process:");
    let salesforce = emit::find("salesforce").unwrap();
    series("salesforce", &stages, |i| {
        emit::run(salesforce, &project(&long[i])).expect("the backend builds");
    });
}
