#!/usr/bin/env node
// Browser and validator accessibility checks of a site built by notis.
//
//   node check.mjs --site OUTPUT_DIR --base /barnhalsa/ [--pages pages.json] [--artifacts DIR]
//                  [--chromium /usr/bin/chromium] [--report FILE]
//
// 1. Serves OUTPUT_DIR on 127.0.0.1 under the base path (a missing file gets 404.html with status 404).
// 2. Runs the Nu HTML Checker (vnu.jar, --errors-only) over every HTML file of the output.
// 3. Opens one page of every kind (listed in pages.json, each must exist) in headless Chromium and
//    - runs axe-core with the tags wcag2a, wcag2aa, wcag21a, wcag21aa at 1280 px and at 320 px,
//    - checks that a 320 px wide viewport has no horizontal scroll,
//    - checks that every resource of the page (CSS, images) loads,
//    - saves a full-page screenshot at 320 px and at 1280 px into ARTIFACTS/screenshots/;
//    and checks every other page of the output (redirect stubs left out) for horizontal scroll at 320 px.
// 4. Prints a report and writes a JSON summary to ARTIFACTS/a11y-report.json.
//
// Exit codes: 0 no findings, 1 findings (vnu error, axe violation, horizontal scroll, missing page,
// broken resource), 2 the check itself could not run (usage, Java or Chromium missing, ...).

import { spawn } from "node:child_process";
import { createReadStream, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, "..", "..");
const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
const WIDTHS = { desktop: 1280, mobile: 320 };

class SetupError extends Error {}

// ---------- arguments ----------

function parseArgs(argv) {
  const opts = {
    site: null,
    base: "/",
    pages: path.join(HERE, "pages.json"),
    artifacts: path.join(REPO, "ci-artifacts"),
    chromium: process.env.CHROMIUM_PATH || null,
    report: null,
    java: process.env.JAVA || "java",
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new SetupError(`${a} needs a value`);
      return argv[++i];
    };
    switch (a) {
      case "--site": opts.site = next(); break;
      case "--base": opts.base = next(); break;
      case "--pages": opts.pages = next(); break;
      case "--artifacts": opts.artifacts = next(); break;
      case "--chromium": opts.chromium = next(); break;
      case "--report": opts.report = next(); break;
      case "--java": opts.java = next(); break;
      case "-h":
      case "--help":
        console.log("usage: node check.mjs --site OUTPUT_DIR --base /sub/path/ [--pages FILE] [--artifacts DIR] [--chromium PATH] [--report FILE]");
        process.exit(0);
        break;
      default: throw new SetupError(`unknown argument ${a}`);
    }
  }
  if (!opts.site) throw new SetupError("--site OUTPUT_DIR is required");
  opts.site = path.resolve(opts.site);
  if (!existsSync(path.join(opts.site, "index.html"))) throw new SetupError(`${opts.site} has no index.html: not a built site`);
  if (!opts.base.startsWith("/")) opts.base = "/" + opts.base;
  if (!opts.base.endsWith("/")) opts.base += "/";
  opts.artifacts = path.resolve(opts.artifacts);
  opts.report = opts.report ? path.resolve(opts.report) : path.join(opts.artifacts, "a11y-report.json");
  if (!opts.chromium) {
    opts.chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].find((p) => existsSync(p)) || null;
    if (!opts.chromium) throw new SetupError("Chromium not found: install the Debian package chromium or pass --chromium PATH");
  }
  return opts;
}

// ---------- files ----------

function htmlFiles(dir) {
  const out = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && e.name.endsWith(".html")) out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

function loadPages(file, site) {
  let spec;
  try {
    spec = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new SetupError(`cannot read page list ${file}: ${e.message}`);
  }
  const pages = Array.isArray(spec) ? spec : spec.pages;
  if (!Array.isArray(pages) || pages.length === 0) throw new SetupError(`${file}: no pages listed`);
  const missing = [];
  for (const p of pages) {
    if (typeof p.kind !== "string" || typeof p.path !== "string") throw new SetupError(`${file}: every page needs "kind" and "path"`);
    p.status = p.status || 200;
    const rel = p.file || (p.path === "" || p.path.endsWith("/") ? p.path + "index.html" : p.path);
    p.fsPath = path.join(site, rel);
    if (!existsSync(p.fsPath)) missing.push(p);
  }
  return { pages, missing };
}

// ---------- static server: BASE → site dir, 404.html for anything missing ----------

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".ico": "image/x-icon",
  ".xml": "application/xml; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".json": "application/json",
  ".woff2": "font/woff2",
};

function startServer(root, base) {
  const notFound = (res) => {
    const p = path.join(root, "404.html");
    res.statusCode = 404;
    if (existsSync(p)) {
      res.setHeader("Content-Type", TYPES[".html"]);
      createReadStream(p).pipe(res);
    } else {
      res.setHeader("Content-Type", TYPES[".txt"]);
      res.end("404\n");
    }
  };
  const server = createServer((req, res) => {
    let urlPath;
    try {
      urlPath = decodeURIComponent(new URL(req.url, "http://127.0.0.1").pathname);
    } catch {
      res.statusCode = 400;
      return res.end();
    }
    if (urlPath + "/" === base) {
      res.statusCode = 301;
      res.setHeader("Location", base);
      return res.end();
    }
    if (!urlPath.startsWith(base)) {
      res.statusCode = 404;
      res.setHeader("Content-Type", TYPES[".txt"]);
      return res.end(`outside the site's base path ${base}\n`);
    }
    let file = path.resolve(root, "." + path.posix.sep + urlPath.slice(base.length));
    if (file !== root && !file.startsWith(root + path.sep)) return notFound(res);
    let st = existsSync(file) ? statSync(file) : null;
    if (st && st.isDirectory()) {
      if (!urlPath.endsWith("/")) {
        res.statusCode = 301;
        res.setHeader("Location", urlPath + "/");
        return res.end();
      }
      file = path.join(file, "index.html");
      st = existsSync(file) ? statSync(file) : null;
    }
    if (!st || !st.isFile()) return notFound(res);
    res.statusCode = 200;
    res.setHeader("Content-Type", TYPES[path.extname(file).toLowerCase()] || "application/octet-stream");
    res.setHeader("Cache-Control", "no-store");
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve, reject) => {
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => resolve(server));
  });
}

// ---------- vnu ----------

function runVnu(opts, files) {
  const jar = path.join(HERE, "node_modules", "vnu-jar", "build", "dist", "vnu.jar");
  if (!existsSync(jar)) throw new SetupError(`${jar} is missing: run npm ci in ${HERE}`);
  const args = ["-Xss4m", "-jar", jar, "--errors-only", "--skip-non-html", "--format", "json", ...files];
  return new Promise((resolve, reject) => {
    let child;
    try {
      child = spawn(opts.java, args, { stdio: ["ignore", "pipe", "pipe"] });
    } catch (e) {
      return reject(new SetupError(`cannot start ${opts.java}: ${e.message}`));
    }
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("error", (e) => reject(new SetupError(`cannot start ${opts.java} (install a JRE): ${e.message}`)));
    child.on("close", (code) => {
      const text = (err.trim() || out.trim());
      let parsed;
      try {
        parsed = JSON.parse(text);
      } catch {
        return reject(new SetupError(`vnu exited ${code} without a JSON report:\n${(out + err).slice(0, 2000)}`));
      }
      const messages = (parsed.messages || []).filter((m) => m.type === "error" || m.type === "non-document-error" || m.subType === "fatal");
      resolve(messages);
    });
  });
}

// ---------- browser ----------

function cssPathInPage() {
  // Runs in the page: a short CSS selector of each element that sticks out to the right.
  const sel = (el) => {
    const parts = [];
    for (let e = el; e && e.nodeType === 1 && parts.length < 4; e = e.parentElement) {
      let s = e.localName;
      if (e.id) {
        parts.unshift(`${s}#${e.id}`);
        break;
      }
      if (e.classList.length) s += "." + [...e.classList].join(".");
      parts.unshift(s);
    }
    return parts.join(" > ");
  };
  const vw = document.documentElement.clientWidth;
  const wide = [];
  for (const el of document.body.querySelectorAll("*")) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.right > vw + 0.5) {
      // keep the innermost offenders only
      if (![...el.children].some((c) => c.getBoundingClientRect().right > vw + 0.5)) {
        wide.push(`${sel(el)} (right edge ${Math.round(r.right)} px)`);
      }
    }
  }
  return {
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    offenders: wide.slice(0, 8),
  };
}

async function checkPages(opts, pages, baseUrl, allFiles) {
  const { default: puppeteer } = await import("puppeteer-core");
  const axeSource = readFileSync(path.join(HERE, "node_modules", "axe-core", "axe.min.js"), "utf8");
  const userDataDir = mkdtempSync(path.join(tmpdir(), "notis-a11y-chromium-"));
  const shots = path.join(opts.artifacts, "screenshots");
  mkdirSync(shots, { recursive: true });
  let browser;
  try {
    browser = await puppeteer.launch({
      executablePath: opts.chromium,
      headless: true,
      userDataDir,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--font-render-hinting=none",
      ],
    });
  } catch (e) {
    rmSync(userDataDir, { recursive: true, force: true });
    throw new SetupError(`cannot start Chromium at ${opts.chromium}: ${e.message}`);
  }
  const results = [];
  const reflow = [];
  try {
    let n = 0;
    for (const p of pages) {
      n++;
      const url = baseUrl + p.path;
      const r = { kind: p.kind, url, path: p.path, status: null, axe: [], scroll: null, resources: [], screenshots: [] };
      results.push(r);
      const tab = await browser.newPage();
      tab.on("response", (resp) => {
        if (resp.url() === url || resp.url().startsWith("data:") || new URL(resp.url()).pathname === "/favicon.ico") return;
        if (resp.status() >= 400) r.resources.push(`${resp.status()} ${resp.url()}`);
      });
      tab.on("requestfailed", (req) => r.resources.push(`failed (${req.failure()?.errorText}) ${req.url()}`));
      const seen = new Set();
      for (const [label, width] of [["desktop", WIDTHS.desktop], ["mobile", WIDTHS.mobile]]) {
        await tab.setViewport({ width, height: 900, deviceScaleFactor: 1 });
        const resp = await tab.goto(url, { waitUntil: "load", timeout: 30000 });
        if (label === "desktop") r.status = resp ? resp.status() : null;
        await tab.evaluate(() => document.fonts && document.fonts.ready);
        // axe
        const hasAxe = await tab.evaluate(() => typeof window.axe !== "undefined");
        if (!hasAxe) await tab.addScriptTag({ content: axeSource });
        const axeResult = await tab.evaluate(
          (tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] }),
          AXE_TAGS,
        );
        for (const v of axeResult.violations) {
          for (const node of v.nodes) {
            const target = node.target.map((t) => (Array.isArray(t) ? t.join(" >>> ") : t)).join(" ");
            const key = `${v.id}|${target}`;
            if (seen.has(key)) continue;
            seen.add(key);
            r.axe.push({
              id: v.id,
              impact: node.impact || v.impact,
              help: v.help,
              helpUrl: v.helpUrl,
              target,
              width,
              summary: (node.failureSummary || "").replace(/\s+/g, " ").trim(),
              html: (node.html || "").slice(0, 200),
            });
          }
        }
        if (label === "mobile") r.scroll = await tab.evaluate(cssPathInPage);
        const file = path.join(shots, `${String(n).padStart(2, "0")}-${p.kind}-${width}.png`);
        await tab.screenshot({ path: file, fullPage: true });
        r.screenshots.push(path.relative(process.cwd(), file));
      }
      r.resources = [...new Set(r.resources)];
      await tab.close();
    }
    // reflow on every other page of the output as well (redirect stubs left out)
    const tab = await browser.newPage();
    await tab.setViewport({ width: WIDTHS.mobile, height: 900, deviceScaleFactor: 1 });
    const done = new Set(pages.map((p) => p.fsPath));
    for (const file of allFiles) {
      if (done.has(file) || /http-equiv=["']?refresh/i.test(readFileSync(file, "utf8"))) continue;
      let rp = path.relative(opts.site, file).split(path.sep).join("/");
      if (rp === "index.html") rp = "";
      else if (rp.endsWith("/index.html")) rp = rp.slice(0, -"index.html".length);
      await tab.goto(baseUrl + rp, { waitUntil: "load", timeout: 30000 });
      const s = await tab.evaluate(cssPathInPage);
      reflow.push({ path: rp, ...s });
    }
    await tab.close();
  } finally {
    await browser.close().catch(() => {});
    rmSync(userDataDir, { recursive: true, force: true });
  }
  return { results, reflow };
}

// ---------- report ----------

function rel(site, file) {
  return path.relative(site, file.startsWith("file:") ? fileURLToPath(file) : file);
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const files = htmlFiles(opts.site);
  const { pages, missing } = loadPages(opts.pages, opts.site);
  mkdirSync(opts.artifacts, { recursive: true });

  console.log(`notis a11y check: ${opts.site} served at ${opts.base}`);
  console.log(`page list: ${path.relative(process.cwd(), opts.pages) || opts.pages} (${pages.length} kinds)`);
  let failed = false;

  // pages of every kind must exist
  if (missing.length) {
    failed = true;
    console.log(`\n== page kinds: ${missing.length} MISSING`);
    for (const p of missing) console.log(`  MISSING ${p.kind}: ${path.relative(opts.site, p.fsPath)} (for ${opts.base}${p.path})`);
  }
  const present = pages.filter((p) => !missing.includes(p));

  // vnu
  console.log(`\n== Nu HTML Checker (vnu --errors-only) on ${files.length} HTML files`);
  const vnu = await runVnu(opts, files);
  const byFile = new Map();
  for (const m of vnu) {
    const f = m.url ? rel(opts.site, m.url) : "(vnu)";
    if (!byFile.has(f)) byFile.set(f, []);
    byFile.get(f).push(m);
  }
  for (const [f, ms] of [...byFile].sort()) {
    for (const m of ms) {
      const at = m.lastLine ? `:${m.lastLine}.${m.firstColumn ?? m.lastColumn ?? 0}` : "";
      console.log(`  ${f}${at}: error: ${m.message}`);
      if (m.extract) console.log(`      ${m.extract.replace(/\s+/g, " ").trim().slice(0, 160)}`);
    }
  }
  console.log(`  ${vnu.length} errors in ${byFile.size} of ${files.length} files`);
  if (vnu.length) failed = true;

  // browser
  const server = await startServer(opts.site, opts.base);
  const baseUrl = `http://127.0.0.1:${server.address().port}${opts.base}`;
  let results, reflow;
  try {
    ({ results, reflow } = await checkPages(opts, present, baseUrl, files));
  } finally {
    server.close();
  }

  console.log(`\n== axe-core ${JSON.parse(readFileSync(path.join(HERE, "node_modules", "axe-core", "package.json"), "utf8")).version} (${AXE_TAGS.join(", ")}) at ${WIDTHS.desktop} and ${WIDTHS.mobile} px, reflow at ${WIDTHS.mobile} px`);
  let axeCount = 0;
  let scrollCount = 0;
  let resourceCount = 0;
  let statusCount = 0;
  for (const r of results) {
    const expected = pages.find((p) => p.kind === r.kind).status;
    const problems = [];
    if (r.status !== expected) problems.push(`HTTP ${r.status}, expected ${expected}`);
    if (r.axe.length) problems.push(`${new Set(r.axe.map((v) => v.id)).size} axe violations (${r.axe.length} nodes)`);
    const scrolls = r.scroll && r.scroll.scrollWidth > r.scroll.innerWidth;
    if (scrolls) problems.push(`horizontal scroll at ${WIDTHS.mobile} px (scrollWidth ${r.scroll.scrollWidth} > ${r.scroll.innerWidth})`);
    if (r.resources.length) problems.push(`${r.resources.length} broken resources`);
    console.log(`  ${problems.length ? "FAIL" : "ok  "} ${r.kind.padEnd(10)} ${r.url.replace(baseUrl, opts.base)}${problems.length ? "  – " + problems.join("; ") : ""}`);
    for (const v of r.axe) {
      console.log(`       ${v.id} [${v.impact}] ${v.help} (at ${v.width} px)`);
      console.log(`         target: ${v.target}`);
      console.log(`         html:   ${v.html.replace(/\s+/g, " ")}`);
      if (v.summary) console.log(`         ${v.summary.slice(0, 300)}`);
      console.log(`         help:   ${v.helpUrl}`);
    }
    if (scrolls) for (const o of r.scroll.offenders) console.log(`       too wide: ${o}`);
    for (const res of r.resources) console.log(`       resource: ${res}`);
    axeCount += r.axe.length;
    if (scrolls) scrollCount++;
    resourceCount += r.resources.length;
    if (r.status !== expected) statusCount++;
  }
  const wideOthers = reflow.filter((s) => s.scrollWidth > s.innerWidth);
  console.log(`\n== reflow at ${WIDTHS.mobile} px on the other ${reflow.length} pages: ${wideOthers.length} with horizontal scroll`);
  for (const s of wideOthers) {
    console.log(`  FAIL ${opts.base}${s.path}  – scrollWidth ${s.scrollWidth} > ${s.innerWidth}`);
    for (const o of s.offenders) console.log(`       too wide: ${o}`);
  }
  scrollCount += wideOthers.length;
  if (axeCount || scrollCount || resourceCount || statusCount) failed = true;
  console.log(`\n  screenshots: ${path.relative(process.cwd(), path.join(opts.artifacts, "screenshots")) || "."}/ (${results.length * 2} files)`);

  const summary = {
    site: opts.site,
    base: opts.base,
    htmlFiles: files.length,
    pageKinds: pages.length,
    missingPages: missing.map((p) => p.kind),
    vnuErrors: vnu.length,
    axeViolations: axeCount,
    axeRules: [...new Set(results.flatMap((r) => r.axe.map((v) => v.id)))],
    horizontalScroll: scrollCount,
    reflowPages: results.length + reflow.length,
    brokenResources: resourceCount,
    wrongStatus: statusCount,
    pages: results,
    vnu: vnu.map((m) => ({ file: m.url ? rel(opts.site, m.url) : null, line: m.lastLine, message: m.message })),
  };
  writeFileSync(opts.report, JSON.stringify(summary, null, 2));

  console.log(
    `\nresult: ${failed ? "FAILED" : "passed"}: ${vnu.length} vnu errors in ${files.length} files, ${axeCount} axe violations on ${results.length} pages, ` +
      `${scrollCount} of ${results.length + reflow.length} pages with horizontal scroll at ${WIDTHS.mobile} px, ${resourceCount} broken resources, ${missing.length} missing page kinds`,
  );
  process.exit(failed ? 1 : 0);
}

main().catch((e) => {
  console.error(`a11y check could not run: ${e instanceof SetupError ? e.message : e.stack || e}`);
  process.exit(2);
});
