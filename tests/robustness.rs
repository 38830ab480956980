//! No input crashes the front end or a backend: thousands of deterministic mutations of the
//! examples and fixtures (cut, repeated and swapped spans, stray characters) are checked,
//! and every backend runs on those that still check without errors; mutated files are also
//! checked, built and formatted several at a time, importing each other, in one session.

mod common;

use salespath::config::Config;
use salespath::emit::{self, BACKENDS};
use salespath::session::{build, Options, Session};
use std::panic::{catch_unwind, AssertUnwindSafe};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const STRAY: &[&str] = &[
    "{",
    "}",
    "(",
    ")",
    "\"",
    "\"\"\"",
    ":",
    ",",
    "%",
    "#",
    "\n",
    "not ",
    " and ",
    " or ",
    "next: ",
    "from: any",
    "outcome: won",
    "outcome: lost",
    "probability: 150%",
    "\\",
    "é",
    "🚀",
    "remove stage ",
    "extends ",
    "stage x { }",
    "import \"x.sales\"",
    "0",
    "-",
    "==",
];

fn mutate(text: &str, rng: &mut Rng) -> String {
    let bytes = text.as_bytes();
    let mut out = bytes.to_vec();
    for _ in 0..1 + rng.below(3) {
        let len = out.len().max(1);
        let at = rng.below(len);
        let span = (1 + rng.below(40)).min(out.len().saturating_sub(at));
        match rng.below(4) {
            0 => {
                out.drain(at..at + span);
            }
            1 => {
                let copy: Vec<u8> = out[at..at + span].to_vec();
                let to = rng.below(out.len());
                out.splice(to..to, copy);
            }
            2 => {
                let stray = STRAY[rng.below(STRAY.len())].as_bytes();
                out.splice(at..at, stray.iter().copied());
            }
            _ => {
                let other = rng.below(out.len());
                if other + span <= out.len() && at + span <= out.len() {
                    for i in 0..span.min(other.abs_diff(at)) {
                        out.swap(at + i, other + i);
                    }
                }
            }
        }
    }
    // Mutations may split a character; the checker reports invalid UTF-8 on its own, but
    // most cases should reach the parser, so keep the text valid.
    String::from_utf8_lossy(&out).into_owned()
}

fn sources() -> Vec<String> {
    let mut sources: Vec<String> = common::shared_examples()
        .into_iter()
        .chain(common::examples())
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    for dir in std::fs::read_dir(common::root().join("tests/fixtures/rules")).unwrap() {
        // An audit rule's folder holds the process its deal data is audited against.
        let dir = dir.unwrap().path();
        let path = ["good.sales", "process.sales"]
            .iter()
            .map(|name| dir.join(name))
            .find(|path| path.exists())
            .unwrap_or_else(|| panic!("{} holds no process file", dir.display()));
        sources.push(std::fs::read_to_string(path).unwrap());
    }
    sources
}

#[test]
fn mutated_inputs_never_panic() {
    let sources = sources();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let (mut clean, mut total) = (0, 0);
    for round in 0..3000 {
        let source = &sources[round % sources.len()];
        let text = mutate(source, &mut rng);
        total += 1;
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            let checked = common::check_text("mutated.sales", &text);
            if checked.has_errors() || checked.model.is_none() {
                return false;
            }
            let project = common::project(&checked);
            for backend in BACKENDS.iter().filter(|b| !b.needs_graphviz) {
                let _ = emit::run(backend, &project);
            }
            true
        }));
        match outcome {
            Ok(true) => clean += 1,
            Ok(false) => {}
            Err(_) => panic!("round {round} panicked on:\n{text}"),
        }
    }
    // The mutations must exercise both paths: some inputs break, some still build.
    assert!(
        clean > total / 20 && clean < total,
        "{clean} of {total} still clean"
    );
}

/// Three files in one folder, each mutated half of the time: the multi-file example's process
/// file and the definitions it imports (a stray import may close a circle), and another
/// example; checked, built with every backend that needs no external program, and formatted,
/// all in one session each.
#[test]
fn several_mutated_files_check_build_and_format_together() {
    let sources = sources();
    let multi = |name: &str| {
        std::fs::read_to_string(common::root().join("examples/multi").join(name)).unwrap()
    };
    let (processes, definitions) = (multi("processes.sales"), multi("definitions.sales"));
    let selection = build::select(
        &BACKENDS
            .iter()
            .filter(|b| !b.needs_graphviz)
            .map(|b| b.name.to_string())
            .collect::<Vec<_>>(),
    )
    .unwrap();
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let (mut built, mut formatted, rounds) = (0, 0, 150);
    for round in 0..rounds {
        let dir = tempfile::tempdir().unwrap();
        let other = &sources[rng.below(sources.len())];
        let mut texts = Vec::new();
        for (name, text) in [
            ("processes.sales", &processes),
            ("definitions.sales", &definitions),
            ("other.sales", other),
        ] {
            let text = if rng.below(2) == 0 {
                mutate(text, &mut rng)
            } else {
                text.to_string()
            };
            std::fs::write(dir.path().join(name), &text).unwrap();
            texts.push(text);
        }
        let folder = vec![dir.path().display().to_string()];
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            let mut session = Session::new(Config::default(), Options::default());
            session.add_args(&folder).unwrap();
            let run = session.check();
            let (errors, _) = run.counts();
            let is_built = run.build(&selection).is_ok();
            assert!(errors == 0 || !is_built, "a build with errors");
            let mut session = Session::new(Config::default(), Options::default());
            session.add_args(&folder).unwrap();
            let format = session.format();
            let all_formatted = format.files.iter().all(|f| f.result.is_ok());
            (is_built, all_formatted)
        }));
        match outcome {
            Ok((b, f)) => {
                built += usize::from(b);
                formatted += usize::from(f);
            }
            Err(_) => panic!("round {round} panicked on:\n{}", texts.join("\n-----\n")),
        }
    }
    // Both paths are exercised: some rounds build, some are refused.
    assert!(built > 0 && built < rounds, "{built} of {rounds} built");
    assert!(formatted > 0, "{formatted} of {rounds} formatted");
}
