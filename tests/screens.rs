//! What people see: the matrix and the playbook drawn by Chromium at laptop width (1280 px)
//! and phone width (390 px). Each page is screenshotted (kept under the target folder, to look
//! at) and measured: a copy of the page with a small script added writes its layout into the
//! page's title, which Chromium's `--dump-dom` prints. Skipped, saying so, without Chromium.

mod common;

use salespath::emit::{matrix, playbook, EmitError, Emitted, Unit};
use salespath::session::Checked;
use std::path::{Path, PathBuf};
use std::process::Command;

const LAPTOP: u32 = 1280;
const PHONE: u32 = 390;
const HEIGHT: u32 = 1600;
/// Headless Chromium makes no window narrower than this: a phone-sized page is drawn in a frame
/// of the phone's width inside a window of this width.
const MIN_WINDOW: u32 = 500;
/// The smallest text, in CSS pixels, that reads on a phone held at arm's length.
const READABLE_PX: f64 = 11.0;

/// Measures the page once laid out. `cut`: elements reaching past the right edge of the
/// window, outside a box that scrolls on its own (`.table-wrap`, `pre`); `cutAnywhere`: the
/// same, counting those inside such boxes; `mapFont`: the smallest text of the process map as
/// drawn, in CSS pixels.
const MEASURE: &str = r#"<script>
(() => {
  const vw = document.documentElement.clientWidth;
  const past = [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > vw + 0.5);
  const name = e => e.tagName.toLowerCase() + (e.className && e.className.baseVal === undefined ? '.' + e.className : '');
  const svg = document.querySelector('figure.map svg');
  let mapFont = null;
  if (svg) {
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    mapFont = Math.min(...[...svg.querySelectorAll('text')]
      .map(t => parseFloat(getComputedStyle(t).fontSize) * scale));
  }
  (window.parent === window ? document : parent.document).title = JSON.stringify({
    scrollWidth: document.documentElement.scrollWidth,
    viewport: vw,
    cut: past.filter(e => !e.closest('.table-wrap, pre')).slice(0, 5).map(name),
    cutAnywhere: past.slice(0, 5).map(name),
    mapFont,
  });
})();
</script>"#;

#[derive(Debug, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Layout {
    scroll_width: u32,
    viewport: u32,
    cut: Vec<String>,
    cut_anywhere: Vec<String>,
    map_font: Option<f64>,
}

/// The Chromium program, or `None` (saying the test is skipped) when none is installed.
fn chromium(test: &str) -> Option<&'static str> {
    let found = ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|p| {
            Command::new(p)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        });
    if found.is_none() {
        eprintln!(
            "SKIPPED {test}: Chromium is not installed (for example `apt-get install chromium`)"
        );
    }
    found
}

/// Runs headless Chromium on `page` at `width`, writing a screenshot to `shot`; returns the
/// DOM it printed.
fn run_chromium(program: &str, page: &Path, width: u32, shot: &Path) -> String {
    let profile = tempfile::tempdir().unwrap();
    let output = Command::new(program)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--virtual-time-budget=5000",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--window-size={width},{HEIGHT}"))
        .arg(format!("--screenshot={}", shot.display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("Chromium runs");
    assert!(
        output.status.success(),
        "Chromium failed on {}: {}",
        page.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8 DOM")
}

/// Screenshots and measures a page at `width`. The screenshot is kept as
/// `<target tmp>/screens/<name>-<width>.png`.
fn look(program: &str, name: &str, html: &[u8], width: u32) -> Layout {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("page.html");
    let html = std::str::from_utf8(html).unwrap();
    assert!(html.contains("</body>"), "{name}");
    let measured = html.replace("</body>", &format!("{MEASURE}</body>"));
    let window = if width < MIN_WINDOW {
        std::fs::write(&page, framed(&measured, width)).unwrap();
        MIN_WINDOW
    } else {
        std::fs::write(&page, measured).unwrap();
        width
    };
    let shots = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("screens");
    std::fs::create_dir_all(&shots).unwrap();
    let shot = shots.join(format!("{name}-{width}.png"));
    let dom = run_chromium(program, &page, window, &shot);
    assert_screenshot(&shot, window);
    let title = dom
        .split("<title>")
        .nth(1)
        .and_then(|t| t.split("</title>").next())
        .unwrap_or_else(|| panic!("{name}: no title in the DOM"));
    let json = title.replace("&quot;", "\"").replace("&amp;", "&");
    serde_json::from_str(&json).unwrap_or_else(|e| panic!("{name}: {e}: {json}"))
}

/// A page holding `html` in a frame `width` pixels wide (the frame's document has the parent's
/// origin, so its script can write the parent's title).
fn framed(html: &str, width: u32) -> String {
    let attribute = html.replace('&', "&amp;").replace('"', "&quot;");
    format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>unmeasured</title>\
         <style>body {{ margin: 0; }} iframe {{ border: 0; display: block; width: {width}px; height: {HEIGHT}px; }}</style>\
         </head><body><iframe srcdoc=\"{attribute}\"></iframe></body></html>\n"
    )
}

/// The screenshot has the window's size and shows something other than a blank page.
fn assert_screenshot(path: &Path, width: u32) {
    let decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(path).expect("a screenshot"),
    ));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut pixels).unwrap();
    assert_eq!(
        (info.width, info.height),
        (width, HEIGHT),
        "{}",
        path.display()
    );
    let inked = pixels.iter().filter(|&&b| b < 128).count();
    assert!(inked > 1000, "{} looks blank", path.display());
}

/// A process of `n` open stages, each with some of everything, then won and lost.
fn long_process(n: usize) -> String {
    let mut text = String::from(
        "role rep \"Account Executive\"\nfield amount \"Amount\": currency\n\
         tool crm \"CRM\"\nprocess long \"Long process\" {\n",
    );
    for i in 0..n {
        let next = if i + 1 < n {
            format!("s{}", i + 1)
        } else {
            "won".into()
        };
        let back = if i % 10 == 9 {
            format!(", s{}", i - 5)
        } else {
            String::new()
        };
        text.push_str(&format!(
            "  stage s{i} \"Stage number {i}\" {{ owner: rep probability: {}% expected: {}d \
             objective: \"Move the deal on with a clear next step agreed by the buyer\" \
             activities {{ \"Call the champion\" \"Update the mutual plan\" }} tools: crm \
             next: {next}{back} }}\n",
            1 + i * 98 / n,
            1 + i % 20,
        ));
    }
    text.push_str(
        "  stage won \"Won\" { outcome: won requires: amount }\n  stage lost \"Lost\" { outcome: lost from: any }\n}\n",
    );
    text
}

fn checked_long() -> Checked {
    let checked = common::check_text("long.sales", &long_process(60));
    assert!(checked.diagnostics.is_empty(), "{:#?}", checked.diagnostics);
    checked
}

fn reference() -> Checked {
    common::check_clean(&common::root().join("examples/reference/enterprise.sales"))
}

/// The first file a backend writes for the checked file's processes.
fn page(checked: &Checked, backend: fn(&Unit<'_>) -> Result<Emitted, EmitError>) -> Vec<u8> {
    let project = common::project(checked);
    backend(&project.units[0]).unwrap().files.remove(0).1
}

fn matrix_page(checked: &Checked) -> Vec<u8> {
    page(checked, matrix::emit_html)
}

fn playbook_page(checked: &Checked) -> Vec<u8> {
    page(checked, playbook::emit_html)
}

#[test]
fn the_matrix_fits_a_laptop_without_sideways_scrolling() {
    let Some(chromium) = chromium("the_matrix_fits_a_laptop_without_sideways_scrolling") else {
        return;
    };
    let hostile = common::check_clean(&common::root().join("tests/fixtures/hostile/labels.sales"));
    for (name, checked) in [
        ("matrix-reference", reference()),
        ("matrix-hostile", hostile),
        ("matrix-long", checked_long()),
    ] {
        let layout = look(chromium, name, &matrix_page(&checked), LAPTOP);
        assert_eq!(layout.viewport, LAPTOP, "{name}");
        assert!(layout.scroll_width <= LAPTOP, "{name}: {layout:?}");
        assert!(layout.cut_anywhere.is_empty(), "{name}: {layout:?}");

        let layout = look(chromium, name, &matrix_page(&checked), PHONE);
        assert!(
            layout.scroll_width <= PHONE,
            "{name} on a phone: {layout:?}"
        );
        assert!(layout.cut.is_empty(), "{name} on a phone: {layout:?}");
    }
}

#[test]
fn the_playbook_and_its_map_read_on_a_phone_and_a_laptop() {
    let Some(chromium) = chromium("the_playbook_and_its_map_read_on_a_phone_and_a_laptop") else {
        return;
    };
    let branching = common::check_clean(&common::root().join("examples/branching.sales"));
    for (name, checked) in [
        ("playbook-reference", reference()),
        ("playbook-branching", branching),
        ("playbook-long", checked_long()),
    ] {
        for width in [LAPTOP, PHONE] {
            let layout = look(chromium, name, &playbook_page(&checked), width);
            assert!(
                layout.scroll_width <= width,
                "{name} at {width}: {layout:?}"
            );
            assert!(layout.cut.is_empty(), "{name} at {width}: {layout:?}");
            let font = layout.map_font.expect("a process map");
            assert!(
                font >= READABLE_PX,
                "{name} at {width}: the map's text is {font:.1} px high"
            );
        }
    }
}

#[test]
fn the_matrix_prints_on_a4_landscape() {
    let Some(chromium) = chromium("the_matrix_prints_on_a4_landscape") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (page, pdf) = (
        dir.path().join("matrix.html"),
        dir.path().join("matrix.pdf"),
    );
    std::fs::write(&page, matrix_page(&reference())).unwrap();
    let profile = tempfile::tempdir().unwrap();
    let output = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("Chromium runs");
    assert!(output.status.success(), "{output:?}");
    let pdf = std::fs::read(&pdf).unwrap();
    let text = String::from_utf8_lossy(&pdf);
    let boxes: Vec<(f64, f64)> = text
        .split("/MediaBox [")
        .skip(1)
        .map(|b| {
            let numbers: Vec<f64> = b[..b.find(']').unwrap()]
                .split_whitespace()
                .map(|n| n.parse().unwrap())
                .collect();
            (numbers[2] - numbers[0], numbers[3] - numbers[1])
        })
        .collect();
    assert!(!boxes.is_empty(), "pages");
    for (width, height) in boxes {
        // A4 is 297 x 210 mm: 842 x 595 points.
        assert!(
            (width - 842.0).abs() < 1.0 && (height - 595.0).abs() < 1.0,
            "{width} x {height}"
        );
    }
}
