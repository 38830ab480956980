//! Long chains of variants resolve like short ones: each variant here adds a stage and removes
//! the one its base added, so deals always skip the removed stages.

mod common;

use std::fmt::Write;

#[test]
fn a_long_chain_of_variants_that_add_and_remove_stages() {
    const DEPTH: usize = 300;
    let mut text = String::from(
        "process p {\n  stage s0 { probability: 20% }\n  stage s1 { probability: 40% }\n  stage won { outcome: won }\n  stage lost { outcome: lost from: any }\n}\n",
    );
    let mut base = "p".to_string();
    for i in 0..DEPTH {
        let remove = if i > 0 {
            format!("  remove stage x{}\n", i - 1)
        } else {
            String::new()
        };
        let _ = writeln!(
            text,
            "process v{i} extends {base} {{\n{remove}  stage x{i} {{ probability: 60% }}\n}}"
        );
        base = format!("v{i}");
    }
    let checked = common::check_text("chain.sales", &text);
    assert!(checked.diagnostics.is_empty(), "{:?}", checked.diagnostics);
    let model = checked.model.as_ref().unwrap();
    let last = model
        .processes
        .iter()
        .find(|p| p.id == format!("v{}", DEPTH - 1))
        .unwrap();
    let ids: Vec<&str> = last.stages.iter().map(|s| s.id.as_str()).collect();
    let added = format!("x{}", DEPTH - 1);
    assert_eq!(ids, ["s0", "s1", added.as_str(), "won", "lost"]);
    let next = |id: &str| -> Vec<&str> {
        let stage = last.stages.iter().find(|s| s.id == id).unwrap();
        stage
            .next_ids()
            .map(|t| last.stage(t).id.as_str())
            .collect()
    };
    assert_eq!(next("s1"), [added.as_str(), "lost"]);
    assert_eq!(next(&added), ["won", "lost"]);
}
