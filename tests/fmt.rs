//! `salespath fmt`: idempotent, meaning-preserving, comment-preserving, and the CLI contract.

mod common;

use salespath::config::Config;
use salespath::fmt::{format_source, scan_comments};
use salespath::session::{self, Checked, Input, Options};
use std::path::{Path, PathBuf};

/// Checks `text` as if it were a file in `dir` (so its imports resolve).
fn check_in(dir: &Path, text: &str) -> Checked {
    let input = Input::Text {
        name: "input.sales".into(),
        text: text.as_bytes().to_vec(),
        base: Some(dir.to_path_buf()),
    };
    session::check_one(&input, &Config::default(), &Options::default()).expect("text input")
}

/// A model's debug text with every position removed (byte spans, and file ids, which differ
/// from one check to the next), so two layouts of one file compare equal.
fn without_spans(debug: &str) -> String {
    let without = |text: &str, start: &str, end: char| {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(at) = rest.find(start) {
            out.push_str(&rest[..at]);
            let close = rest[at..].find(end).expect("a position closes");
            rest = &rest[at + close + 1..];
        }
        out.push_str(rest);
        out
    };
    without(&without(debug, "span: Span {", '}'), "file: FileId(", ')')
}

/// What a file means: its model and its diagnostics (rule and message), without positions.
fn meaning(dir: &Path, text: &str) -> (String, Vec<String>) {
    let checked = check_in(dir, text);
    let model = without_spans(&format!("{:#?}", checked.model));
    let diagnostics = checked
        .diagnostics
        .iter()
        .map(|d| format!("{} {:?} {}", d.rule, d.severity, d.message))
        .collect();
    (model, diagnostics)
}

fn comment_texts(text: &str) -> Vec<String> {
    scan_comments(text).into_iter().map(|c| c.text).collect()
}

/// Formats `text` and asserts everything fmt promises about it; returns the formatted text.
fn assert_formats_well(name: &str, dir: &Path, text: &str) -> String {
    let formatted = format_source(text).unwrap_or_else(|d| panic!("{name} does not format: {d:?}"));
    let again = format_source(&formatted).expect("formatted text parses");
    assert_eq!(
        again, formatted,
        "{name}: formatting twice changes the text"
    );
    assert_eq!(
        meaning(dir, &formatted),
        meaning(dir, text),
        "{name}: formatting changed the meaning\n--- formatted:\n{formatted}"
    );
    assert_eq!(
        comment_texts(&formatted),
        comment_texts(text),
        "{name}: comments were lost or reordered\n--- formatted:\n{formatted}"
    );
    formatted
}

fn every_sales_file() -> Vec<PathBuf> {
    let mut files = common::shared_examples();
    files.extend(common::examples());
    files.extend(common::sales_files(
        &common::root().join("tests/fixtures/hostile"),
    ));
    files.extend(common::sales_files(
        &common::root().join("src/init/templates"),
    ));
    let rules = common::root().join("tests/fixtures/rules");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&rules)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    dirs.sort();
    for dir in dirs {
        files.extend(common::sales_files(&dir));
        files.extend(common::sales_files(&dir.join("shared")));
    }
    files
}

#[test]
fn every_fixture_and_example_formats_idempotently_without_changing_meaning() {
    let mut formatted = 0;
    for path in every_sales_file() {
        let text = std::fs::read_to_string(&path).unwrap();
        if format_source(&text).is_err() {
            continue; // the syntax fixture: covered by `a_syntax_error_leaves_the_file_untouched`
        }
        assert_formats_well(&path.display().to_string(), path.parent().unwrap(), &text);
        formatted += 1;
    }
    assert!(formatted >= 50, "only {formatted} files were formatted");
}

#[test]
fn shared_example_and_templates_are_already_canonical() {
    let mut files = common::shared_examples();
    files.extend(common::sales_files(
        &common::root().join("src/init/templates"),
    ));
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(format_source(&text).unwrap(), text, "{}", path.display());
    }
}

const MESSY: &str = r#"# File header

role ae   "Account Executive"   # trailing on a role
role se
field amount "Amount":currency{salesforce:"Amount"}
field stage_notes: text { description: "a \"quoted\" 🚀 word"   hubspot: "notes" }
field kind "Kind" : choice [ "A" ,"B", ]
tool crm "CRM" {
  kind: software # the one we use
}
# Own-line comment before a criteria
criteria ready { ok : amount>0  and(  kind=="A" or not stage_notes is set ) }
process p "P" { model:consultative
  owner:"Head"


  # about the first stage
  stage one { owner:ae probability:10% requires:amount,kind
     exit: ready  # the gate
     activities{"Call"   "Email"}
     next:two,lost
     guidance: """
        Keep it short.
          Indented line.
        """
  }
  stage two { outcome: won }   # won
  stage lost {
    outcome: lost
    # nothing else
  }
}
# The end
"#;

#[test]
fn messy_layout_becomes_canonical_and_keeps_every_comment() {
    let formatted = assert_formats_well("messy", &common::root().join("tests"), MESSY);
    common::assert_golden("fmt/messy.sales", formatted.as_bytes());
    assert!(formatted.contains("role ae \"Account Executive\"  # trailing on a role\n"));
    assert!(formatted.contains("  # about the first stage\n  stage one {\n"));
    assert!(formatted.contains("    exit: ready  # the gate\n"));
    assert!(formatted.contains("  stage two { outcome: won }  # won\n"));
    assert!(formatted.contains("    outcome: lost\n    # nothing else\n  }\n"));
    assert!(formatted.ends_with("}\n# The end\n"));
}

#[test]
fn expressions_keep_their_parentheses_and_normalise_spacing() {
    let src = "field a: number\nfield b: bool\ncriteria c { x: not(a>1 or b)and a in[1,2] }\n";
    let formatted = format_source(src).unwrap();
    assert_eq!(
        formatted,
        "field a: number\nfield b: bool\n\ncriteria c {\n  x: not (a > 1 or b) and a in [1, 2]\n}\n"
    );
}

#[test]
fn strings_are_re_escaped_and_numbers_kept_as_written() {
    let src = "field a: choice[\"tab\\there\", \"q\\\"\"]\ncriteria c { x: a == \"tab\\there\" }\nprocess p { stage s { probability: 12.5% expected: 48h } stage w { outcome: won } }\n";
    let formatted = assert_formats_well("strings", &common::root(), src);
    assert!(
        formatted.contains(r#"choice["tab\there", "q\""]"#),
        "{formatted}"
    );
    assert!(
        formatted.contains("probability: 12.5%\n    expected: 48h\n"),
        "{formatted}"
    );
}

// ---- generated files ---------------------------------------------------------------------

/// A small deterministic PRNG (xorshift64*), so failures reproduce from their seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Writes a random valid `.sales` file in a random layout, with comments anywhere a comment
/// may go.
struct Generator {
    rng: Rng,
    out: String,
    comments: usize,
    fields: Vec<(String, &'static str)>,
}

impl Generator {
    fn gap(&mut self) {
        let gap = *self
            .rng
            .pick(&[" ", " ", "  ", "\n", "\n\n", "\n    ", "\t", " \n\n\n "]);
        self.out.push_str(gap);
        if self.rng.chance(6) {
            self.comments += 1;
            let text = format!(" # note {} \"quoted\" # {{", self.comments);
            self.out.push_str(&text);
            self.out.push('\n');
        }
    }
    fn token(&mut self, token: &str) {
        self.out.push_str(token);
        self.gap();
    }
    fn one(&mut self, options: &[&str]) {
        let token = *self.rng.pick(options);
        self.token(token);
    }
    fn label(&mut self) {
        if self.rng.chance(50) {
            self.one(&[
                "\"Label\"",
                "\"A \\\"b\\\" #c\"",
                "\"tab\\tnew\\nline\"",
                "\"日本 🚀\"",
            ]);
        }
    }
    fn ident_list(&mut self, names: &[String]) {
        let count = 1 + self.rng.below(names.len().min(3));
        for i in 0..count {
            if i > 0 {
                self.token(",");
            }
            let name = self.rng.pick(names).clone();
            self.token(&name);
        }
    }

    fn file(&mut self) {
        let roles: Vec<String> = (0..1 + self.rng.below(3))
            .map(|i| format!("r{i}"))
            .collect();
        for r in &roles {
            self.token("role");
            self.token(r);
            self.label();
        }
        for i in 0..1 + self.rng.below(5) {
            self.field(i);
        }
        let tools: Vec<String> = (0..1 + self.rng.below(3))
            .map(|i| format!("t{i}"))
            .collect();
        for t in &tools {
            self.token("tool");
            self.token(t);
            self.label();
            if self.rng.chance(50) {
                self.token("{");
                if self.rng.chance(70) {
                    self.token("kind");
                    self.token(":");
                    self.token("software");
                }
                if self.rng.chance(40) {
                    self.token("link");
                    self.token(":");
                    self.token("\"https://x.example/#a\"");
                }
                self.token("}");
            }
        }
        if self.rng.chance(50) {
            self.token("criteria");
            self.token("c0");
            self.label();
            self.token("{");
            for i in 0..1 + self.rng.below(3) {
                self.token(&format!("item{i}"));
                self.token(":");
                self.expr(0);
            }
            self.token("}");
        }
        self.process(&roles, &tools);
    }

    fn field(&mut self, i: usize) {
        let ty = *self.rng.pick(&[
            "text", "number", "currency", "percent", "date", "bool", "choice",
        ]);
        let name = format!("f{i}");
        self.token("field");
        self.token(&name);
        self.label();
        self.token(":");
        if ty == "choice" {
            self.token("choice");
            self.token("[");
            self.token("\"A\"");
            self.token(",");
            self.token("\"B \\\"x\\\"\"");
            if self.rng.chance(50) {
                self.token(",");
            }
            self.token("]");
        } else {
            self.token(ty);
        }
        if self.rng.chance(40) {
            self.token("{");
            if self.rng.chance(60) {
                self.token("description");
                self.token(":");
                self.one(&["\"Some text\"", "\"\"\"\n   Line one\n     two\n   \"\"\""]);
            }
            if self.rng.chance(50) {
                self.token("salesforce");
                self.token(":");
                self.token("\"Amount\"");
            }
            self.token("}");
        }
        self.fields.push((name, ty));
    }

    fn condition(&mut self) {
        if self.fields.is_empty() || self.rng.chance(10) {
            self.token("c0");
            return;
        }
        let (name, ty) = self.rng.pick(&self.fields).clone();
        self.token(&name);
        match (ty, self.rng.below(3)) {
            (_, 0) => {
                self.token("is");
                if self.rng.chance(50) {
                    self.token("not");
                }
                self.token("set");
            }
            ("bool", _) => {}
            ("number" | "currency", _) => {
                let op = *self.rng.pick(&["==", "!=", "<", "<=", ">", ">="]);
                self.token(op);
                self.one(&["10", "25_000", "12.5"]);
            }
            ("percent", _) => {
                self.token("<=");
                self.token("20%");
            }
            ("choice", 1) => {
                self.token("in");
                self.token("[");
                self.token("\"A\"");
                self.token(",");
                self.token("\"B \\\"x\\\"\"");
                self.token("]");
            }
            ("choice", _) => {
                self.token("==");
                self.token("\"A\"");
            }
            _ => {
                self.token("is");
                self.token("set");
            }
        }
    }

    fn expr(&mut self, depth: usize) {
        if self.rng.chance(15) {
            self.token("not");
        }
        if depth < 3 && self.rng.chance(25) {
            self.token("(");
            self.expr(depth + 1);
            self.token(")");
        } else {
            self.condition();
        }
        if depth < 3 && self.rng.chance(35) {
            self.one(&["and", "or"]);
            self.expr(depth + 1);
        }
    }

    fn process(&mut self, roles: &[String], tools: &[String]) {
        let stages: Vec<String> = (0..2 + self.rng.below(4))
            .map(|i| format!("s{i}"))
            .collect();
        self.token("process");
        self.token("p0");
        self.label();
        self.token("{");
        if self.rng.chance(50) {
            self.token("model");
            self.token(":");
            self.token("consultative");
        }
        if self.rng.chance(50) {
            self.token("owner");
            self.token(":");
            self.token("\"Head of Sales\"");
        }
        for (i, stage) in stages.iter().enumerate() {
            self.token("stage");
            self.token(stage);
            self.label();
            self.token("{");
            self.stage_properties(i + 1 == stages.len(), roles, tools, &stages);
            self.token("}");
        }
        self.token("}");
    }

    fn stage_properties(
        &mut self,
        last: bool,
        roles: &[String],
        tools: &[String],
        stages: &[String],
    ) {
        let mut properties: Vec<usize> = (0..11).filter(|_| self.rng.chance(45)).collect();
        // Shuffle: authors write properties in any order.
        for i in (1..properties.len()).rev() {
            let j = self.rng.below(i + 1);
            properties.swap(i, j);
        }
        if last {
            self.token("outcome");
            self.token(":");
            self.token("won");
        }
        let fields: Vec<String> = self.fields.iter().map(|(n, _)| n.clone()).collect();
        for p in properties {
            match p {
                0 => {
                    self.token("owner");
                    self.token(":");
                    let role = self.rng.pick(roles).clone();
                    self.token(&role);
                }
                1 => {
                    self.token("probability");
                    self.token(":");
                    self.one(&["10%", "55.5%", "0%"]);
                }
                2 => {
                    self.token("expected");
                    self.token(":");
                    self.one(&["36h", "5d", "2w"]);
                }
                3 => {
                    self.token("activities");
                    self.token("{");
                    for _ in 0..self.rng.below(3) {
                        self.token("\"Do a thing, #1\"");
                    }
                    self.token("}");
                }
                4 => {
                    self.token("tools");
                    self.token(":");
                    self.ident_list(tools);
                }
                5 if !fields.is_empty() => {
                    self.token("requires");
                    self.token(":");
                    self.ident_list(&fields);
                }
                6 if !last => {
                    self.token("exit");
                    self.token(":");
                    self.expr(0);
                }
                7 if !last => {
                    self.token("next");
                    self.token(":");
                    self.ident_list(stages);
                }
                8 => {
                    self.token("when");
                    self.token("entered");
                    self.token(":");
                    self.token("task");
                    self.token("\"Prepare\"");
                    self.token("for");
                    let role = self.rng.pick(roles).clone();
                    self.token(&role);
                    self.token("due");
                    self.token("3d");
                }
                9 => {
                    self.token("follow_up");
                    self.token("\"Call again\"");
                    self.token("after");
                    self.token("2d");
                }
                10 => {
                    self.token("guidance");
                    self.token(":");
                    self.token("\"\"\"\n  First.\n\n    Second \"quoted\".\n  \"\"\"");
                }
                _ => {}
            }
        }
    }
}

#[test]
fn generated_files_format_idempotently_without_changing_meaning() {
    let dir = common::root().join("tests");
    for seed in 1..=300u64 {
        let mut generator = Generator {
            rng: Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15)),
            out: String::new(),
            comments: 0,
            fields: Vec::new(),
        };
        generator.file();
        let text = generator.out;
        assert!(
            format_source(&text).is_ok(),
            "seed {seed}: the generator wrote a file that does not parse:\n{text}"
        );
        assert_formats_well(&format!("seed {seed}"), &dir, &text);
    }
}

// ---- the command line --------------------------------------------------------------------

fn temp_copy(name: &str, text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    (dir, path)
}

#[test]
fn a_syntax_error_leaves_the_file_untouched() {
    let bad = std::fs::read_to_string(common::root().join("tests/fixtures/rules/syntax/bad.sales"))
        .unwrap();
    let (_dir, path) = temp_copy("bad.sales", &bad);
    let output = common::salespath().arg("fmt").arg(&path).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("probabilty"), "{stderr}");
    assert!(stderr.contains("left as it is"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), bad);
}

#[test]
fn check_lists_files_that_would_change_and_changes_nothing() {
    let (_dir, path) = temp_copy("messy.sales", MESSY);
    let output = common::salespath()
        .args(["fmt", "--check"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&output.stdout).trim(),
        path.display().to_string()
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), MESSY);

    let output = common::salespath().arg("fmt").arg(&path).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        format_source(MESSY).unwrap()
    );

    let output = common::salespath()
        .args(["fmt", "--check"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert!(output.stdout.is_empty());
}

#[test]
fn a_dash_formats_standard_input_to_standard_output() {
    use std::io::Write;
    let mut child = common::salespath()
        .args(["fmt", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"role   ae\n\n\n\nrole se # x\n")
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "role ae\n\nrole se  # x\n"
    );
}

#[test]
fn a_missing_path_is_a_usage_error() {
    let output = common::salespath()
        .args(["fmt", "no/such/file.sales"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
}
