// Drives the what-if page of `wfsim serve` in Debian's chromium as a person
// would: waits for the figures, moves a policy's slider a step with the
// keyboard again and again (the page times each change to its updated figures), reads
// every figure from the page, saves the option, types a bad value and reads
// the message, and takes a screenshot. Writes what it saw as JSON; the C++
// test (test_whatif_browser.cpp) judges it against `wfsim run`.
//
// Usage: node whatif_page.mjs URL OUT_DIR MODE CHANGES
//   MODE: "full" (all of the above) or "timing" (only the changes)
import fs from "node:fs";
import path from "node:path";
import puppeteer from "puppeteer-core";

const [url, outDir, mode, changesText] = process.argv.slice(2);
const changes = Number(changesText);
const origin = new URL(url).origin;
const seen = { console: [], pageErrors: [], foreignRequests: [], failedRequests: [] };

const browser = await puppeteer.launch({
  executablePath: "/usr/bin/chromium",
  headless: true,
  userDataDir: fs.mkdtempSync(path.join(outDir, "profile-")),
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--hide-scrollbars"],
  defaultViewport: { width: 1400, height: 1000 },
});
const timeout = Number(process.env.WHATIF_TIMEOUT || 120_000);
try {
  const page = await browser.newPage();
  page.setDefaultTimeout(timeout);
  page.on("console", (message) => seen.console.push(`${message.type()}: ${message.text()}`));
  page.on("pageerror", (error) => seen.pageErrors.push(String(error)));
  // Anything fetched from elsewhere; data: URLs (the month field's own icon) fetch nothing.
  page.on("request", (request) => {
    const address = request.url();
    if (!address.startsWith(origin) && !address.startsWith("data:")) seen.foreignRequests.push(address);
  });
  page.on("requestfailed", (request) => {
    // A request the page aborts for a newer one is how cancelling works.
    if (request.failure()?.errorText !== "net::ERR_ABORTED") seen.failedRequests.push(`${request.url()} ${request.failure()?.errorText}`);
  });

  await page.goto(url, { waitUntil: "load" });
  // Settled: the newest request answered and nothing running.
  const settled = () => page.waitForFunction(
    () => document.body.dataset.shown && document.body.dataset.shown === document.body.dataset.requested &&
          document.body.dataset.state === "idle", { polling: 50, timeout }).catch(async (error) => {
    const state = await page.evaluate(() => ({ ...document.body.dataset, status: document.getElementById("status").textContent,
                                               banner: document.getElementById("banner").textContent }));
    throw new Error(`the page did not settle: ${JSON.stringify(state)}; browser: ${JSON.stringify(seen)}; ${error}`);
  });
  await settled();

  // The slider of the first numeric field of the first policy in force.
  const slider = await page.evaluate(() => {
    const on = [...document.querySelectorAll("fieldset.block:not(.off)")][0];
    const range = on.querySelector("input[type=range]:not([hidden])");
    return { block: on.dataset.block, path: range.dataset.sliderFor };
  });
  const sliderSelector = `input[data-slider-for="${slider.path}"]`;
  // The first figures, after the page loads: the reference's runs as well as the option's.
  const [firstFigures] = await page.evaluate(() => JSON.parse(document.body.dataset.timings));
  await page.focus(sliderSelector);
  for (let k = 0; k < changes; ++k) {
    const before = await page.evaluate(() => JSON.parse(document.body.dataset.timings || "[]").length);
    // One step up each time: every value new (none answered from what was run before), all within the slider.
    await page.keyboard.press("ArrowRight");
    await page.waitForFunction((n) => JSON.parse(document.body.dataset.timings || "[]").length > n, { polling: 20, timeout }, before)
      .catch(async (error) => {
        const state = await page.evaluate((selector) => ({ ...document.body.dataset, slider: document.querySelector(selector).value,
                                                           focused: document.activeElement?.outerHTML.slice(0, 120),
                                                           status: document.getElementById("status").textContent }), sliderSelector);
        throw new Error(`change ${k} was not answered: ${JSON.stringify(state)}; ${error}`);
      });
  }
  const timings = (await page.evaluate(() => JSON.parse(document.body.dataset.timings))).slice(1);
  const result = { mode, slider, firstFigures, timings, seen };
  result.consoleBeforeBadValue = [...seen.console];

  if (mode === "full") {
    await settled();
    result.replications = Number(await page.evaluate(() => document.body.dataset.replications));
    result.seed = await page.evaluate(() => document.body.dataset.seed);
    result.option = await page.$eval("#option-name", (input) => input.value);
    result.sliderValue = await page.$eval(`input[data-path="${slider.path}"]`, (input) => input.value);
    result.figures = await page.evaluate(() => Object.fromEntries(
      [...document.querySelectorAll("[data-key][data-value]")].map((e) => [e.dataset.key, e.dataset.value])));
    result.replicationsShown = await page.evaluate(() => [...document.querySelectorAll("[data-replications]")]
      .map((e) => ({ what: e.id || e.dataset.chart, replications: Number(e.dataset.replications) })));
    result.charts = await page.$$eval("figure[data-chart] svg.fan", (svgs) => svgs.map((s) => s.id));
    result.status = await page.$eval("#status", (e) => e.textContent);
    result.optionYaml = await page.$eval("#option-yaml", (e) => e.textContent);

    await page.click("#save");
    await page.waitForSelector("#saved-command");
    result.saved = { file: await page.$eval("#saved-file", (e) => e.textContent),
                     command: await page.$eval("#saved-command", (e) => e.textContent) };
    await page.screenshot({ path: path.join(outDir, "whatif.png"), fullPage: true });
    result.consoleBeforeBadValue = [...seen.console];

    // A value the schema rejects: the message beside the control, the figures kept.
    const input = `input[data-path="${slider.path}"]`;
    await page.click(input, { clickCount: 3 });
    await page.keyboard.type("-5");
    await page.waitForFunction(() => document.body.dataset.problem, { polling: 50, timeout });
    result.bad = {
      problem: await page.evaluate(() => document.body.dataset.problem),
      beside: await page.$eval(`.field[data-path="${slider.path}"] .problem`, (e) => e.textContent),
      banner: await page.$eval("#banner", (e) => e.textContent),
      figuresKept: await page.$$eval("#headline-table [data-value]", (e) => e.length),
    };
  }
  fs.writeFileSync(path.join(outDir, `whatif-${mode}.json`), JSON.stringify(result, null, 1));
} finally {
  await browser.close();
}
