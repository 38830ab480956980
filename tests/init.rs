//! `salespath init`: every template checks clean, and an existing file is never overwritten.

mod common;

use salespath::init::Template;

#[test]
fn every_template_checks_clean_and_shows_the_main_constructs() {
    for template in Template::ALL {
        let checked = common::check_text("process.sales", template.text());
        assert!(
            checked.diagnostics.is_empty(),
            "the {} template is not clean: {:#?}",
            template.name(),
            checked.diagnostics
        );
        let text = template.text();
        for construct in [
            "role ",
            "field ",
            "tool ",
            "process ",
            "stage ",
            "probability:",
            "requires:",
            "exit:",
            "outcome: won",
            "outcome: lost",
            "# ",
        ] {
            assert!(
                text.contains(construct),
                "the {} template lacks `{construct}`",
                template.name()
            );
        }
    }
}

#[test]
fn init_writes_the_chosen_template_and_it_checks_clean() {
    let dir = tempfile::tempdir().unwrap();
    for (args, file, template) in [
        (vec!["init"], "process.sales", Template::Consultative),
        (
            vec!["init", "fast.sales", "--template", "transactional"],
            "fast.sales",
            Template::Transactional,
        ),
        (
            vec!["init", "big.sales", "--template", "enterprise"],
            "big.sales",
            Template::Enterprise,
        ),
    ] {
        let output = common::salespath()
            .current_dir(dir.path())
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(
            output.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let article = match template {
            Template::Enterprise => "an",
            _ => "a",
        };
        let said = String::from_utf8_lossy(&output.stdout);
        assert!(
            said.contains(&format!("({article} {} process)", template.name())),
            "{said}"
        );
        let written = std::fs::read_to_string(dir.path().join(file)).unwrap();
        assert_eq!(written, template.text());
        let check = common::salespath()
            .current_dir(dir.path())
            .args(["check", file])
            .output()
            .unwrap();
        assert_eq!(check.status.code(), Some(0));
    }
}

#[test]
fn init_refuses_to_overwrite_an_existing_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("process.sales");
    std::fs::write(&path, "# mine\n").unwrap();
    let output = common::salespath()
        .current_dir(dir.path())
        .arg("init")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("`process.sales` already exists"));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "# mine\n");
}

#[test]
fn an_unknown_template_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let output = common::salespath()
        .current_dir(dir.path())
        .args(["init", "--template", "retail"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(!dir.path().join("process.sales").exists());
}
