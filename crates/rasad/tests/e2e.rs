//! End-to-end in headless Chromium: `e2e/story.test.mjs` (playwright-core driving Debian's chromium)
//! against `rasad serve` on loopback. Needs node, `npm ci` in e2e/ and /usr/bin/chromium; `.ci/run`
//! installs them and sets RASAD_E2E=1, which turns a missing tool into a failure instead of a skip.

use std::path::Path;
use std::process::Command;

#[test]
fn the_story_page_in_headless_chromium() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let e2e = root.join("e2e");
    let required = std::env::var_os("RASAD_E2E").is_some_and(|v| v == "1");
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let node_ok = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    let missing: Vec<&str> = [
        (!node_ok).then_some("node"),
        (!Path::new(&chromium).exists()).then_some("chromium"),
        (!e2e.join("node_modules/playwright-core").exists()).then_some("e2e/node_modules (npm ci in e2e/)"),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !missing.is_empty() {
        assert!(!required, "RASAD_E2E=1 but missing: {}", missing.join(", "));
        eprintln!(
            "skipped: missing {} (set RASAD_E2E=1 to require)",
            missing.join(", ")
        );
        return;
    }
    let scratch = tempfile::tempdir().unwrap();
    let output = Command::new("node")
        .arg("story.test.mjs")
        .current_dir(&e2e)
        .env("RASAD_BIN", env!("CARGO_BIN_EXE_rasad"))
        .env("RASAD_E2E_DIR", scratch.path())
        .env("CHROMIUM", &chromium)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!("{stdout}");
    assert!(output.status.success(), "e2e failed:\n{stdout}\n{stderr}");
    assert!(stdout.contains("e2e: all checks passed"), "{stdout}");
}
