//! Which labels of a process map the installed fonts cannot draw. Graphviz draws a character
//! no font has as an empty box in PNG and PDF, silently; the build says so instead, naming the
//! labels and the font package to install. Fonts are looked up with fontconfig's `fc-list`.

use std::process::Command;

/// A kind of writing that common systems often lack a font for.
struct Script {
    name: &'static str,
    package: &'static str,
    has: fn(char) -> bool,
}

const SCRIPTS: [Script; 2] = [
    Script {
        name: "Chinese, Japanese or Korean",
        package: "fonts-noto-cjk",
        has: is_cjk,
    },
    Script {
        name: "emoji",
        package: "fonts-noto-color-emoji",
        has: is_emoji,
    },
];

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30ff | 0x3400..=0x4dbf | 0x4e00..=0x9fff | 0xac00..=0xd7af | 0xf900..=0xfaff)
}

fn is_emoji(c: char) -> bool {
    matches!(c as u32, 0x1f300..=0x1faff | 0x2600..=0x27bf)
}

/// A note for each kind of writing in `labels` that no installed font covers, naming the
/// labels (up to three) and the package that has a font for it. `file` is the picture.
pub fn missing(file: &str, labels: &[&str]) -> Vec<String> {
    missing_with(file, labels, font_has)
}

fn missing_with(
    file: &str,
    labels: &[&str],
    font_has: impl Fn(char) -> Option<bool>,
) -> Vec<String> {
    let mut notes = Vec::new();
    for script in &SCRIPTS {
        let using: Vec<&str> = labels
            .iter()
            .copied()
            .filter(|l| l.chars().any(script.has))
            .collect();
        let Some(sample) = using
            .first()
            .and_then(|l| l.chars().find(|c| (script.has)(*c)))
        else {
            continue;
        };
        let shown: Vec<String> = using.iter().take(3).map(|l| format!("`{l}`")).collect();
        let more = if using.len() > 3 {
            format!(" and {} more", using.len() - 3)
        } else {
            String::new()
        };
        match font_has(sample) {
            Some(true) => {}
            Some(false) => notes.push(format!(
                "{file}: no installed font draws {} characters, so they show as empty boxes in labels {}{more}; install a font for them (for example `apt-get install {}`) and build again",
                script.name,
                shown.join(", "),
                script.package
            )),
            None => notes.push(format!(
                "{file}: labels {}{more} use {} characters, and without fontconfig's `fc-list` the build cannot tell whether a font draws them; if they show as empty boxes, install a font (for example `apt-get install {}`)",
                shown.join(", "),
                script.name,
                script.package
            )),
        }
    }
    notes
}

/// Whether an installed font has `c` (`None` when `fc-list` cannot be run).
fn font_has(c: char) -> Option<bool> {
    let output = Command::new("fc-list")
        .arg(format!(":charset={:x}", c as u32))
        .arg("family")
        .output()
        .ok()?;
    Some(output.status.success() && !output.stdout.trim_ascii().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_labels_and_the_package_for_each_missing_script() {
        let labels = ["Won 🚀 | 受注", "Proposal", "商談"];
        let notes = missing_with("p.png", &labels, |c| Some(!is_cjk(c)));
        assert_eq!(notes.len(), 1);
        assert!(notes[0].contains("`Won 🚀 | 受注`, `商談`"), "{}", notes[0]);
        assert!(notes[0].contains("fonts-noto-cjk"));
        let notes = missing_with("p.png", &labels, |_| Some(false));
        assert!(notes[1].contains("emoji") && notes[1].contains("fonts-noto-color-emoji"));
        assert!(missing_with("p.png", &labels, |_| Some(true)).is_empty());
        assert!(missing_with("p.png", &["Proposal"], |_| Some(false)).is_empty());
    }
}
