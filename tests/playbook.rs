//! The training playbooks (`playbook-md`, `playbook-html`): golden files, structure, escaping of
//! hostile labels, and a real browser rendering the page.

mod common;

use salespath::emit::playbook::html_page;
use salespath::model::{Model, ProcessId};
use scraper::{Html, Selector};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Every clean input the playbooks are pinned for, with a unique golden folder name.
fn inputs() -> Vec<(String, PathBuf)> {
    let mut inputs: Vec<(String, PathBuf)> = common::shared_examples()
        .into_iter()
        .map(|p| (format!("shared-{}", stem(&p)), p))
        .collect();
    inputs.extend(common::examples().into_iter().map(|p| (stem(&p), p)));
    for fixture in ["extends-cycle", "unreachable-threshold"] {
        let path = common::root().join(format!("tests/fixtures/rules/{fixture}/good.sales"));
        inputs.push((format!("rule-{fixture}"), path));
    }
    inputs.push(("hostile".into(), hostile()));
    inputs
}

fn stem(path: &Path) -> String {
    path.file_stem().unwrap().to_string_lossy().into_owned()
}

fn hostile() -> PathBuf {
    common::root().join("tests/fixtures/hostile/labels.sales")
}

fn shared_example() -> PathBuf {
    common::shared_examples()
        .into_iter()
        .find(|p| p.ends_with("enterprise.sales"))
        .expect("the shared example")
}

/// The model of a clean file and the processes it declares itself.
fn with_model<T>(path: &Path, f: impl FnOnce(&Model, Vec<ProcessId>) -> T) -> T {
    let checked = common::check_clean(path);
    let project = common::project(&checked);
    let unit = &project.units[0];
    f(unit.model, unit.processes.clone())
}

/// The HTML pages of a file's processes.
fn html_pages(path: &Path) -> Vec<(String, String)> {
    with_model(path, |model, processes| {
        processes
            .into_iter()
            .map(|p| {
                let name = format!("{}.playbook.html", model.process(p).id);
                (name, html_page(model, p))
            })
            .collect()
    })
}

fn markdown(path: &Path) -> Vec<(String, String)> {
    common::emit("playbook-md", path)
        .into_iter()
        .map(|(name, bytes)| (name, String::from_utf8(bytes).expect("UTF-8")))
        .collect()
}

#[test]
fn markdown_matches_golden_files() {
    for (folder, path) in inputs() {
        let files = markdown(&path);
        assert!(!files.is_empty(), "{folder}: no playbook");
        for (name, text) in files {
            assert!(name.ends_with(".playbook.md"), "{name}");
            common::assert_golden(&format!("playbook/{folder}/{name}"), text.as_bytes());
        }
    }
}

#[test]
fn html_matches_golden_files() {
    for (folder, path) in inputs() {
        for (name, text) in html_pages(&path) {
            common::assert_golden(&format!("playbook/{folder}/{name}"), text.as_bytes());
        }
    }
}

#[test]
fn backends_write_one_file_per_process_named_after_it() {
    let md = common::emit("playbook-md", &shared_example());
    let html = common::emit("playbook-html", &shared_example());
    let names: Vec<&str> = md.iter().chain(&html).map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "enterprise_new_business.playbook.md",
            "enterprise_new_business.playbook.html"
        ]
    );
}

fn select<'a>(doc: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    doc.select(&Selector::parse(css).unwrap()).collect()
}

fn text_of(element: scraper::ElementRef<'_>) -> String {
    element.text().collect::<String>()
}

#[test]
fn html_has_a_section_per_stage_and_a_chevron_per_open_stage() {
    for (_, path) in inputs() {
        with_model(&path, |model, processes| {
            for p in processes {
                let process = model.process(p);
                let doc = Html::parse_document(&html_page(model, p));
                let title = select(&doc, "h1");
                assert_eq!(title.len(), 1);
                assert_eq!(text_of(title[0]), process.label);

                let sections = select(&doc, "section.stage");
                assert_eq!(sections.len(), process.stages.len(), "{}", process.id);
                for (section, stage) in sections.iter().zip(&process.stages) {
                    assert_eq!(
                        section.value().attr("id"),
                        Some(format!("stage-{}", stage.id).as_str())
                    );
                    let heading = section.select(&Selector::parse("h3").unwrap()).next();
                    let heading = text_of(heading.expect("a stage heading"));
                    assert!(heading.ends_with(&stage.label), "{heading:?}");
                }

                let chevrons = select(&doc, "ol.path > li.chevron");
                let open: Vec<&str> = process
                    .stages
                    .iter()
                    .filter(|s| s.is_open())
                    .map(|s| s.label.as_str())
                    .collect();
                let shown: Vec<String> = chevrons.iter().map(|c| text_of(*c)).collect();
                assert_eq!(shown, open);
            }
        });
    }
}

#[test]
fn html_is_self_contained() {
    for (folder, path) in inputs() {
        for (name, page) in html_pages(&path) {
            let doc = Html::parse_document(&page);
            assert!(select(&doc, "script").is_empty(), "{folder}/{name}");
            assert!(select(&doc, "[src]").is_empty(), "{folder}/{name}: src=");
            assert!(
                select(&doc, "link, iframe, object, embed, img").is_empty(),
                "{folder}/{name}"
            );
            assert!(!page.contains("@import") && !page.contains("url("));
            assert_eq!(select(&doc, "style").len(), 1);
            assert_eq!(select(&doc, "meta[name=viewport]").len(), 1);
            for a in select(&doc, "a[href]") {
                let href = a.value().attr("href").unwrap();
                if !href.starts_with('#') {
                    assert!(
                        a.value()
                            .has_class("external", scraper::CaseSensitivity::CaseSensitive),
                        "{folder}/{name}: only tool links leave the page, not {href}"
                    );
                    assert!(href.starts_with("https://") || href.starts_with("http://"));
                }
            }
        }
    }
}

#[test]
fn every_internal_link_has_a_target() {
    for (folder, path) in inputs() {
        for (name, page) in html_pages(&path) {
            let doc = Html::parse_document(&page);
            let ids: Vec<&str> = select(&doc, "[id]")
                .iter()
                .map(|e| e.value().attr("id").unwrap())
                .collect();
            let unique: BTreeSet<&str> = ids.iter().copied().collect();
            assert_eq!(unique.len(), ids.len(), "{folder}/{name}: duplicate ids");
            for a in select(&doc, "a[href^='#']") {
                let target = &a.value().attr("href").unwrap()[1..];
                assert!(unique.contains(target), "{folder}/{name}: no #{target}");
            }
        }
        for (name, text) in markdown(&path) {
            let targets = markdown_targets(&text);
            for link in markdown_links(&text) {
                assert!(targets.contains(&link), "{folder}/{name}: no #{link}");
            }
        }
    }
}

/// Explicit anchors plus GitHub's slugs for the fixed section headings.
fn markdown_targets(text: &str) -> BTreeSet<String> {
    let mut targets = BTreeSet::new();
    for part in text.split("<a id=\"").skip(1) {
        let id = part.split('"').next().unwrap().to_string();
        assert!(targets.insert(id.clone()), "duplicate anchor {id}");
    }
    for line in text.lines().filter(|l| l.starts_with("## ")) {
        targets.insert(line[3..].to_lowercase().replace(' ', "-"));
    }
    targets
}

fn markdown_links(text: &str) -> Vec<String> {
    text.split("](#")
        .skip(1)
        .map(|part| part.split(')').next().unwrap().to_string())
        .collect()
}

#[test]
fn markdown_has_linkable_headings_and_a_mermaid_map() {
    let text = &markdown(&shared_example())[0].1;
    assert!(text.starts_with("# Playbook: Enterprise New Business\n"));
    assert!(text.contains("```mermaid\n%% Enterprise New Business\nflowchart LR\n"));
    assert!(text.contains("<a id=\"stage-needs_assessment\"></a>\n\n### 3. Needs Assessment\n"));
    assert!(text.contains("[BANT qualified](#criteria-bant)"));
    assert!(text.contains("- Budget: Budget confirmed is yes\n"));
    assert!(text.contains("| 1 | [Prospecting](#stage-prospecting) | Sales Development Rep | 5% |"));
}

#[test]
fn main_path_time_is_the_sum_of_expected_times() {
    // 5d + 7d + 10d + 10d + 14d along prospecting .. negotiation, closed_won.
    let text = &markdown(&shared_example())[0].1;
    assert!(text.contains("takes about 46 days"), "{text}");
    assert!(text.contains(
        "**Main path:** [Prospecting](#stage-prospecting) → [Qualification](#stage-qualification) → \
         [Needs Assessment](#stage-needs_assessment) → [Proposal](#stage-proposal) → \
         [Negotiation](#stage-negotiation) → [Closed Won](#stage-closed_won)"
    ));
}

#[test]
fn a_variant_says_what_differs_from_its_base() {
    let path = common::root().join("tests/fixtures/rules/extends-cycle/good.sales");
    let files = markdown(&path);
    let (_, base) = files
        .iter()
        .find(|(n, _)| n == "mid_market.playbook.md")
        .unwrap();
    let (_, smb) = files.iter().find(|(n, _)| n == "smb.playbook.md").unwrap();
    assert!(!base.contains("How this variant differs"));
    assert!(smb.contains("This process extends **Mid-Market** and inherits its stages"));
    assert!(smb.contains(
        "- **Changed:** [Proposal](#stage-proposal)\n  - Exit criteria: Amount is at least 2,000 (base: Amount is at least 10,000)\n"
    ));
    assert!(!smb.contains("Stages added") && !smb.contains("Stages removed"));
}

#[test]
fn lead_scoring_has_a_worked_example() {
    let path = common::root().join("tests/fixtures/rules/unreachable-threshold/good.sales");
    let text = &markdown(&path)[0].1;
    assert!(text.contains("- **−10** when Current vendor is Acme\n"));
    assert!(text.contains("A lead qualifies at **50 points** or more."));
    assert!(text.contains(
        "scores 20 + 40 = 60 points: that is at least the threshold of 50, so the lead qualifies."
    ));
}

#[test]
fn unsafe_tool_links_are_shown_as_text() {
    let checked = common::check_text(
        "links.sales",
        r#"
role ae "AE"
tool bad "Bad" { link: "javascript:alert(1)" }
tool good "Good" { link: "https://example.com/a?b=1&c=2" }
process p {
  stage one { owner: ae  probability: 10%  tools: bad, good }
  stage won { outcome: won }
  stage lost { outcome: lost  from: any }
}
"#,
    );
    assert!(checked.diagnostics.is_empty(), "{:#?}", checked.diagnostics);
    let model = checked.model.as_ref().unwrap();
    let page = html_page(model, ProcessId(0));
    let doc = Html::parse_document(&page);
    let hrefs: Vec<&str> = select(&doc, "a.external")
        .iter()
        .map(|a| a.value().attr("href").unwrap())
        .collect();
    assert_eq!(hrefs, ["https://example.com/a?b=1&c=2"; 2]);
    assert!(page.contains("Bad <span class=\"muted\">(link: <code>javascript:alert(1)</code>)"));
    let backend = salespath::emit::find("playbook-md").unwrap();
    let project = common::project(&checked);
    let md = salespath::emit::run(backend, &project)
        .unwrap()
        .files
        .remove(0)
        .1;
    let md = String::from_utf8(md).unwrap();
    assert!(md.contains("- Bad (link: javascript:alert(1))\n"));
    assert!(md.contains("- [Good](https://example.com/a?b=1&amp;c=2)\n"));
    assert!(!md.contains("](javascript"));
}

#[test]
fn hostile_labels_are_escaped_in_html() {
    with_model(&hostile(), |model, processes| {
        let process = model.process(processes[0]);
        let page = html_page(model, processes[0]);
        let doc = Html::parse_document(&page);
        // Markup in labels stays text: no element came from the file.
        assert!(select(&doc, "script, b, i, e, v2, x, partner").is_empty());
        assert!(!page.contains("<script") && !page.contains("<b>") && !page.contains("<x>"));
        // The labels read back exactly as written.
        assert_eq!(
            text_of(select(&doc, "title")[0]),
            format!("Playbook: {}", process.label)
        );
        let chevrons: Vec<String> = select(&doc, "li.chevron")
            .iter()
            .map(|c| text_of(*c))
            .collect();
        assert_eq!(chevrons, ["=SUM(A1:A2)", "Proposal \"final\" <v2> & more"]);
        let activities: Vec<String> = select(&doc, "#stage-first_call ol li")
            .iter()
            .map(|li| text_of(*li))
            .collect();
        assert_eq!(activities, process.stages[0].activities);
        let guidance = text_of(select(&doc, "#stage-first_call .guidance")[0]);
        assert!(guidance.contains("<script>alert(\"x\")</script> &amp; | pipe | {braces}"));
        let map: Vec<String> = select(&doc, "figure.map svg title")
            .iter()
            .map(|t| text_of(*t))
            .collect();
        assert!(
            map.contains(&"Proposal \"final\" <v2> & more".to_string()),
            "{map:?}"
        );
    });
}

#[test]
fn hostile_labels_are_escaped_in_markdown() {
    let text = &markdown(&hostile())[0].1;
    let (prose, map) = text.split_once("```mermaid\n").unwrap();
    let (map, rest) = map.split_once("```").unwrap();
    for raw in ["<script", "<b>", "<i>", "<partner>", "<v2>", "<br> "] {
        assert!(
            !prose.contains(raw) && !rest.contains(raw),
            "raw `{raw}` in the Markdown"
        );
    }
    // Table rows keep their columns: every pipe inside a cell is escaped.
    for row in text.lines().filter(|l| l.starts_with("| ")) {
        assert_eq!(unescaped_pipes(row), 8, "{row}");
    }
    // Text that would start a list, a heading or a quote is neutralised.
    assert!(text.contains("1. \\+1 call\n2. \\-1 email\n"));
    assert!(text.contains("### 1. \\=SUM(A1:A2)\n"));
    assert!(text.contains("a \\| b \\| c {d} &lt;e&gt; &amp;amp; \"f\" \\\\g"));
    // The mermaid block cannot be closed early by a label, and its only markup is the
    // map's own bold names and line breaks (a `%%` comment is never drawn).
    let drawn: String = map.lines().filter(|l| !l.starts_with("%%")).collect();
    let own_markup = drawn
        .replace("<b>", "")
        .replace("</b>", "")
        .replace("<br/>", "");
    assert!(!map.contains('`') && !own_markup.contains('<'), "{map}");
    assert_eq!(text.matches("```").count(), 2);
    // The tool link's destination keeps its query but cannot break out.
    assert!(text.contains("(https://example.com/deck?a=1&amp;b=%3Cx%3E%7C%22y%22#%7Bz%7D)"));
}

/// Pipes not escaped by an odd run of backslashes.
fn unescaped_pipes(row: &str) -> usize {
    let mut count = 0;
    let mut backslashes = 0;
    for c in row.chars() {
        match c {
            '\\' => backslashes += 1,
            '|' => {
                if backslashes % 2 == 0 {
                    count += 1;
                }
                backslashes = 0;
            }
            _ => backslashes = 0,
        }
    }
    count
}

#[test]
fn html_draws_its_own_map_with_a_box_per_stage() {
    with_model(&shared_example(), |model, processes| {
        let process = model.process(processes[0]);
        let page = html_page(model, processes[0]);
        let doc = Html::parse_document(&page);
        assert_eq!(select(&doc, "figure.map > svg").len(), 1);
        assert_eq!(
            select(&doc, "figure.map svg rect").len(),
            process.stages.len()
        );
        let arrows: usize = process.stages.iter().map(|s| s.next_ids().count()).sum();
        assert_eq!(
            select(&doc, "figure.map svg > g > path[fill=none]").len(),
            arrows
        );
        assert!(select(&doc, "pre.mermaid-source").is_empty());
    });
}

/// The same commit builds the same playbook on every machine: with Graphviz on the `PATH`
/// and without it.
#[test]
fn html_is_the_same_with_and_without_graphviz() {
    let build = |path: &str| {
        let out = tempfile::tempdir().unwrap();
        let status = common::salespath()
            .env("PATH", path)
            .args(["build", "--emit", "playbook-html", "-o"])
            .arg(out.path())
            .arg(shared_example())
            .status()
            .unwrap();
        assert!(status.success());
        let page = std::fs::read_dir(out.path())
            .unwrap()
            .next()
            .unwrap()
            .unwrap();
        std::fs::read(page.path()).unwrap()
    };
    let with = build(&std::env::var("PATH").unwrap_or_default());
    let without = build("");
    assert!(with == without, "the playbook depends on the PATH");
}

#[test]
fn html_prints_a_stage_per_page_and_fits_a_phone() {
    let page = &html_pages(&shared_example())[0].1;
    let print = page.split("@media print").nth(1).expect("print styles");
    assert!(print.contains(".stage, .appendix { break-before: page; }"));
    assert!(page.contains("@media (max-width: 600px)"));
    assert!(page.contains("max-width: 60rem"));
}

/// Runs headless Chromium on a page with a fresh profile, killed after a minute.
fn chromium(page: &Path, extra: &[String], stdout: Stdio) -> bool {
    let profile = tempfile::tempdir().unwrap();
    let mut child = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .stdout(stdout)
        .stderr(Stdio::null())
        .spawn()
        .expect("chromium starts");
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status.success();
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not finish within 60 seconds");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Decodes a PNG and counts its distinct colours (up to a cap).
fn distinct_colours(png_path: &Path) -> (u32, u32, usize) {
    let decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(png_path).unwrap(),
    ));
    let mut reader = decoder.read_info().expect("a PNG");
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).expect("a frame");
    let channels = info.color_type.samples();
    let mut colours = BTreeSet::new();
    for pixel in buf[..info.buffer_size()].chunks(channels) {
        colours.insert(pixel.to_vec());
        if colours.len() > 1000 {
            break;
        }
    }
    (info.width, info.height, colours.len())
}

#[test]
fn chromium_renders_the_page() {
    if !common::require_tool("chromium", "chromium_renders_the_page") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let files = common::emit("playbook-html", &shared_example());
    let page = dir.path().join(&files[0].0);
    std::fs::write(&page, &files[0].1).unwrap();

    for (width, name) in [(1280, "laptop.png"), (390, "phone.png")] {
        let shot = dir.path().join(name);
        let ok = chromium(
            &page,
            &[
                format!("--screenshot={}", shot.display()),
                format!("--window-size={width},2000"),
            ],
            Stdio::null(),
        );
        assert!(ok && shot.exists(), "no screenshot at width {width}");
        let (w, h, colours) = distinct_colours(&shot);
        assert_eq!((w, h), (width, 2000));
        assert!(
            colours > 20,
            "the page looks blank at width {width}: {colours} colours"
        );
    }

    let dom_path = dir.path().join("dom.html");
    let ok = chromium(
        &page,
        &["--dump-dom".to_string()],
        Stdio::from(std::fs::File::create(&dom_path).unwrap()),
    );
    assert!(ok, "chromium --dump-dom failed");
    let dom = Html::parse_document(&std::fs::read_to_string(&dom_path).unwrap());
    assert_eq!(text_of(select(&dom, "h1")[0]), "Enterprise New Business");
    let headings: Vec<String> = select(&dom, "section.stage h3")
        .iter()
        .map(|h| text_of(*h))
        .collect();
    for label in [
        "Prospecting",
        "Qualification",
        "Needs Assessment",
        "Proposal",
        "Negotiation",
        "Closed Won",
        "Closed Lost",
    ] {
        assert!(
            headings.iter().any(|h| h.ends_with(label)),
            "{label} in {headings:?}"
        );
    }
    assert!(select(&dom, "h2")
        .iter()
        .any(|h| text_of(*h) == "Stage by stage"));
}
