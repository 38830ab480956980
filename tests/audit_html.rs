//! The HTML audit report: one self-contained page whose three charts are inline SVG, checked
//! as markup and, where Chromium is installed, as rendered at desktop and phone width.

mod common;

use scraper::{Html, Selector};
use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn report_html(extra: &[&str]) -> String {
    let output = common::salespath()
        .args(["audit", "--format", "html"])
        .args(extra)
        .current_dir(common::root())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    String::from_utf8(output.stdout).unwrap()
}

fn select<'a>(doc: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    doc.select(&Selector::parse(css).unwrap()).collect()
}

#[test]
fn the_page_is_self_contained_with_three_charts() {
    let page = report_html(&["examples/maven-crm/pipeline.sales", "--by", "owner"]);
    assert!(!page.contains("<script"), "no scripts");
    for reference in ["src=", "href=", "@import", "url("] {
        assert!(
            !page.contains(reference),
            "no external reference: {reference}"
        );
    }
    let doc = Html::parse_document(&page);
    let charts = select(&doc, "svg.chart");
    let labels: Vec<&str> = charts
        .iter()
        .map(|c| c.value().attr("aria-label").unwrap())
        .collect();
    assert_eq!(
        labels,
        [
            "Funnel: deals that reached each stage",
            "Days in stage against expected and stale_after",
            "Where deals are lost"
        ]
    );
    // The funnel has a bar per open and won stage; the other two one per open stage.
    let bars: Vec<usize> = charts
        .iter()
        .map(|c| {
            c.select(&Selector::parse("rect.bar, rect.won, rect.lost").unwrap())
                .count()
        })
        .collect();
    assert_eq!(bars[0], 3);
    assert_eq!(
        bars[2], 0,
        "no stage history, so no lost deal has a known open stage"
    );
    let lost_text: String = charts[2].text().collect();
    assert!(
        lost_text.contains("no lost deal with a known open stage"),
        "{lost_text}"
    );
    // Expected and stale_after marks for both open stages.
    assert_eq!(
        charts[1]
            .select(&Selector::parse("line.expected").unwrap())
            .count(),
        3,
        "two stages and the legend"
    );
    assert_eq!(
        charts[1]
            .select(&Selector::parse("line.stale").unwrap())
            .count(),
        3
    );
    let funnel_text: String = charts[0].text().collect();
    assert!(
        funnel_text.contains("6327") && funnel_text.contains("4238"),
        "{funnel_text}"
    );
    let tiles: Vec<String> = select(&doc, ".tile .v")
        .iter()
        .map(|t| t.text().collect())
        .collect();
    assert!(tiles.contains(&"63.2%".to_string()), "{tiles:?}");
    assert_eq!(
        select(&doc, "h2")
            .iter()
            .filter(|h| h.text().collect::<String>() == "By owner")
            .count(),
        1
    );
}

/// Runs headless Chromium with a fresh profile, killed after a minute.
fn chromium(page: &Path, extra: &[String], stdout: Stdio) -> bool {
    let profile = tempfile::tempdir().unwrap();
    let mut child = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
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

/// The colours of a PNG screenshot, as RGB triples.
fn colours(path: &Path) -> (u32, u32, BTreeSet<[u8; 3]>) {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).unwrap()));
    let mut reader = decoder.read_info().expect("a PNG");
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).expect("a frame");
    let channels = info.color_type.samples();
    let set = buf[..info.buffer_size()]
        .chunks(channels)
        .map(|p| [p[0], p[1], p[2]])
        .collect();
    (info.width, info.height, set)
}

#[test]
fn chromium_shows_the_charts_at_desktop_and_phone_width() {
    if !common::require_tool(
        "chromium",
        "chromium_shows_the_charts_at_desktop_and_phone_width",
    ) {
        println!("SKIPPED: chromium is not installed, the rendered report was not checked");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("report.html");
    let fixture = [
        "tests/fixtures/audit/funnel.sales",
        "--history",
        "tests/fixtures/audit/history.csv",
        "--deals",
        "tests/fixtures/audit/deals.csv",
    ];
    std::fs::write(&page, report_html(&fixture)).unwrap();
    for (width, height) in [(1280, 1600), (390, 3200)] {
        let shot = dir.path().join(format!("report-{width}.png"));
        let ok = chromium(
            &page,
            &[
                format!("--screenshot={}", shot.display()),
                format!("--window-size={width},{height}"),
            ],
            Stdio::null(),
        );
        assert!(ok && shot.exists(), "no screenshot at width {width}");
        let (w, h, seen) = colours(&shot);
        assert_eq!((w, h), (width, height));
        // The bars of each chart, in the page's own colours.
        for (name, rgb) in [
            ("funnel bar", [0x2f, 0x6f, 0xdf]),
            ("won bar", [0x1f, 0x9d, 0x55]),
            ("lost bar", [0xd6, 0x45, 0x45]),
            ("p90 bar", [0xa9, 0xc4, 0xf5]),
        ] {
            assert!(
                seen.contains(&rgb),
                "the {name} is not visible at width {width}"
            );
        }
    }
}
