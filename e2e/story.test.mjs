// End-to-end: rasad serves the examples; headless Chromium opens the Albania story and checks what a
// person would see, then a hostile article. Run by crates/rasad/tests/e2e.rs, which passes
// RASAD_BIN (the binary) and RASAD_E2E_DIR (a scratch folder). Screenshots go to RASAD_SCREENSHOTS
// when set (README's come from RASAD_SCREENSHOTS=$PWD/docs/screenshots), else to the scratch folder.
import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = process.env.RASAD_BIN;
const scratch = process.env.RASAD_E2E_DIR;
const browserPath = process.env.CHROMIUM || "/usr/bin/chromium";
if (!bin || !scratch) throw new Error("RASAD_BIN and RASAD_E2E_DIR must be set");
const port = 20000 + Math.floor(Math.random() * 20000);
const base = `http://127.0.0.1:${port}`;

function check(condition, message) {
  if (!condition) throw new Error(`check failed: ${message}`);
  console.log(`ok - ${message}`);
}

async function waitForServer(server) {
  for (let i = 0; i < 600; i++) {
    if (server.exitCode !== null) throw new Error(`rasad serve exited with ${server.exitCode}`);
    try {
      const r = await fetch(`${base}/api/health`);
      // The port opens at once; stories and incidents are ready a moment later.
      if (r.ok) {
        const health = await r.json();
        if (health.ready) return health;
      }
    } catch (_) { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error("rasad serve did not come up");
}

const server = spawn(bin, ["--db", join(scratch, "e2e.db"), "-q", "serve", "--addr", `127.0.0.1:${port}`, join(root, "examples")], {
  stdio: ["ignore", "inherit", "inherit"],
});
let browser;
try {
  const health = await waitForServer(server);
  check(health.articles === 4, `the examples are stored (${health.articles} articles)`);

  browser = await chromium.launch({
    executablePath: browserPath,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
  });
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  const dialogs = [];
  page.on("dialog", async (d) => { dialogs.push(d.message()); await d.dismiss(); });
  const pageErrors = [];
  page.on("pageerror", (e) => pageErrors.push(String(e)));

  // The story list, latest first, with the Albania story's three languages.
  await page.goto(`${base}/`);
  await page.waitForSelector("body[data-page=stories] table.stories tbody tr");
  const rows = await page.locator("table.stories tbody tr").count();
  check(rows === 2, `the story list shows 2 stories (${rows})`);
  const albaniaRow = page.locator("table.stories tbody tr", { hasText: "3 articles" });
  check(await albaniaRow.count() === 1, "one story has the three Albania articles");
  const badges = await albaniaRow.locator(".badge.lang").allTextContents();
  check(["ar", "fa", "en"].every((l) => badges.includes(l)), `its languages are ar, fa, en (${badges})`);

  // The story page.
  await albaniaRow.locator("a").first().click();
  await page.waitForSelector("body[data-page=story] #articles article");
  const incident = page.locator("#incident");
  check(await incident.isVisible(), "the incident record is shown");
  const attribution = incident.locator(".fact", { hasText: "attributes it to" }).filter({ hasText: "Albania" }).filter({ hasText: "Iran" });
  check(await attribution.count() >= 1, "it says Albania attributes the attack to Iran");
  check(await incident.locator(".fact", { hasText: "Mandiant" }).filter({ hasText: "code similarity" }).count() >= 1,
    "it gives Mandiant's basis (code similarity)");
  check(await incident.locator(".badge.deny").count() >= 1, "it shows a denial");
  check(await incident.locator(".fact", { hasText: "broke diplomatic relations" }).count() >= 1, "it shows the diplomatic rupture");
  const timelineItems = await page.locator("#timeline li").count();
  check(timelineItems >= 3, `the timeline has ${timelineItems} entries`);

  // Three articles side by side, each in its own direction.
  const columns = page.locator("#articles article");
  check(await columns.count() === 3, "three articles are side by side");
  const seen = {};
  for (let i = 0; i < 3; i++) {
    const column = columns.nth(i);
    const lang = await column.getAttribute("lang");
    const direction = await column.locator(".text").evaluate((n) => getComputedStyle(n).direction);
    seen[lang] = direction;
    const box = await column.boundingBox();
    check(box && box.width > 300, `the ${lang} article is a column ${Math.round(box.width)} px wide`);
    const marks = await column.locator("mark.ev").count();
    check(marks > 0, `the ${lang} article has ${marks} evidence highlights`);
  }
  check(seen.ar === "rtl" && seen.fa === "rtl" && seen.en === "ltr", `text directions ar/fa rtl, en ltr (${JSON.stringify(seen)})`);
  const boxes = await Promise.all([0, 1, 2].map((i) => columns.nth(i).boundingBox()));
  check(new Set(boxes.map((b) => Math.round(b.y))).size === 1, "the three columns are on one row");
  // English labels next to the Arabic and Persian names.
  const glosses = await page.locator("#articles article[lang=fa] .gloss").allTextContents();
  check(glosses.includes("Iran") && glosses.some((g) => g.includes("Mojahedin")),
    `Persian names carry English labels (${[...new Set(glosses)].slice(0, 6).join(", ")} …)`);

  // Clicking a fact's evidence highlights it in the text.
  await attribution.first().locator("button").click();
  const active = await page.locator("mark.ev.active").count();
  check(active >= 1, `the attribution's evidence lights up (${active} marks)`);
  await page.evaluate(() => window.scrollTo(0, 0));
  const shots = process.env.RASAD_SCREENSHOTS || scratch;
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: join(shots, "story.png"), fullPage: false });
  await page.locator("#articles").screenshot({ path: join(shots, "story-articles.png") });

  // The incident list, filtered by receiver country, and the Albania incident's page.
  await page.goto(`${base}/#/incidents`);
  await page.waitForSelector("body[data-page=incidents] table.incidents tbody tr");
  await page.fill("#incident-filters input[name=country]", "ALB");
  await page.click("#incident-filters button[type=submit]");
  await page.waitForFunction(() => location.hash.includes("country=ALB"));
  await page.waitForSelector("body[data-page=incidents] table.incidents tbody tr");
  const incidentRows = await page.locator("table.incidents tbody tr").count();
  check(incidentRows === 1, `filtering incidents by receiver ALB leaves the Albania incident (${incidentRows})`);
  await page.locator("table.incidents tbody tr a").first().click();
  await page.waitForSelector("body[data-page=incident] #articles article");
  const incidentArticles = await page.locator("#articles article").count();
  check(incidentArticles >= 3, `the incident page shows its articles side by side (${incidentArticles})`);
  const timelineText = await page.locator("#attribution-timeline").textContent();
  check(/2022-09-0\d/.test(timelineText) && timelineText.includes("Iran") && timelineText.includes("contested by"),
    "the attribution timeline dates who blamed Iran and who contests it");
  const rtlColumns = await page.locator("#articles article[dir=rtl]").count();
  check(rtlColumns >= 2, `Arabic and Persian articles read right to left on the incident page (${rtlColumns})`);
  check(await page.locator("#stories a").count() >= 1, "the incident lists its stories");
  await page.locator("#attribution-timeline button").first().click();
  check(await page.locator("mark.ev.active").count() >= 1, "an attribution's evidence lights up on the incident page");
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(shots, "incident.png"), fullPage: false });

  // Search in Arabic letters finds the Persian spelling, with the word marked.
  await page.goto(`${base}/#/search?q=${encodeURIComponent("منافقين")}`);
  await page.waitForSelector("body[data-page=search] .hit");
  check(await page.locator(".hit").count() === 1, "searching منافقين with Arabic yeh finds the Persian article");
  check((await page.locator(".hit .snippet mark").first().textContent()) === "منافقین", "the snippet marks منافقین");

  // Hostile input: markup in an article stays text.
  const hostile = [{
    title: "<img src=x onerror=\"document.title='pwned'\">Hostile title",
    text: "Officials said <img src=x onerror=\"alert('xss')\"> hackers <script>alert('xss2')</script> hit <b onmouseover=alert(3)>Albania</b> government servers after a cyberattack.",
    published: "2022-09-10",
  }];
  const posted = await fetch(`${base}/api/ingest`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(hostile) }).then((r) => r.json());
  const hostileId = posted.items[0].id;
  await page.goto(`${base}/#/article/${hostileId}`);
  await page.waitForSelector("body[data-page=article] article .text");
  await page.hover("article .text");
  await page.waitForTimeout(300);
  check(dialogs.length === 0, "no script from the article ran (no dialog)");
  check((await page.title()) === "rasad", "the page title was not rewritten");
  check(await page.locator("main img, main script, main b").count() === 0, "no element was made from the article's markup");
  const shown = await page.locator("article .text").textContent();
  check(shown.includes("<img src=x") && shown.includes("<script>"), "the markup is shown as text");
  // A title with an unterminated right-to-left override stays inside its own heading.
  const override = await fetch(`${base}/api/ingest`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify([{ title: "\u202Eevil heading", text: "Albania said the cyberattack came from Iran.", published: "2022-09-11" }]),
  }).then((r) => r.json());
  await page.goto(`${base}/#/article/${override.items[0].id}`);
  await page.waitForSelector("body[data-page=article] h1");
  const isolation = await page.locator("main h1").first().evaluate((h) => getComputedStyle(h).unicodeBidi);
  check(isolation === "isolate", `a heading is a bidi isolate (${isolation})`);
  check(pageErrors.length === 0, `no errors in the page (${pageErrors.join("; ")})`);
  console.log("e2e: all checks passed");
} finally {
  if (browser) await browser.close();
  server.kill("SIGINT");
}
