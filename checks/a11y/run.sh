#!/usr/bin/env bash
# Accessibility checks of a site built by notis, in one command:
#
#   bash checks/a11y/run.sh                     # the bundled demo site: must pass
#   bash checks/a11y/run.sh --site tests/fixtures/a11y_broken --expect-failure
#                                               # a broken site: passes only if the check catches it
#
# Installs the pinned npm packages (npm ci in checks/a11y), builds the site with notis (release) into a
# temporary directory, then runs check.mjs: the Nu HTML Checker on every HTML file, axe-core (WCAG 2.1
# A/AA) on one page of every kind, no horizontal scroll at 320 px, screenshots into ci-artifacts/.
#
# Options:
#   --site DIR          site root to build (default: the repository, i.e. the bundled site)
#   --expect-failure    exit 0 only if the check fails with both vnu errors and axe violations
#   --today YYYY-MM-DD  the build day (default $NOTIS_TODAY or 2026-11-23, so the page kinds are stable)
#   --artifacts DIR     where screenshots and the JSON report go (default ci-artifacts/, or
#                       ci-artifacts/<site name>/ for another site)
#   --no-install        skip npm ci (node_modules already installed)
# Needs: cargo, node >= 20 with npm, java (a JRE), chromium (or CHROMIUM_PATH).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"

site="$REPO"
expect_failure=0
today="${NOTIS_TODAY:-2026-11-23}"
artifacts=""
install=1
while [ $# -gt 0 ]; do
  case "$1" in
    --site) site="$2"; shift 2 ;;
    --expect-failure) expect_failure=1; shift ;;
    --today) today="$2"; shift 2 ;;
    --artifacts) artifacts="$2"; shift 2 ;;
    --no-install) install=0; shift ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

site="$(cd "$site" && pwd)"
if [ -z "$artifacts" ]; then
  if [ "$site" = "$REPO" ]; then artifacts="$REPO/ci-artifacts"; else artifacts="$REPO/ci-artifacts/$(basename "$site")"; fi
fi
mkdir -p "$artifacts"
artifacts="$(cd "$artifacts" && pwd)"

for tool in cargo node npm java; do
  command -v "$tool" >/dev/null 2>&1 || { echo "run.sh: $tool not found (see README, Accessibility checks)" >&2; exit 2; }
done
if [ -z "${CHROMIUM_PATH:-}" ]; then
  CHROMIUM_PATH="$(command -v chromium || command -v chromium-browser || true)"
  [ -n "$CHROMIUM_PATH" ] || { echo "run.sh: chromium not found: apt-get install chromium, or set CHROMIUM_PATH" >&2; exit 2; }
fi
export CHROMIUM_PATH

if [ "$install" = 1 ]; then
  echo "== npm ci (checks/a11y)"
  # --ignore-scripts: vnu-jar's postinstall would try to download a Java; the system JRE is used instead.
  (cd "$HERE" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/notis-a11y.XXXXXX")"
trap 'rm -rf "$work"' EXIT
out="$work/site"

shown="${site#"$REPO"}"; shown="${shown#/}"; echo "== notis build --root ${shown:-.} --today $today"
cargo run --quiet --release --locked --manifest-path "$REPO/Cargo.toml" -- \
  build --root "$site" --output "$out" --today "$today"

# The base path is the path of base_url in site.yaml ("https://example.se/barnhalsa/" → "/barnhalsa/").
base="$(node -e '
  const t = require("fs").readFileSync(process.argv[1], "utf8");
  const m = t.match(/^base_url:\s*["\x27]?([^"\x27\s#]+)/m);
  if (!m) { console.error("no base_url in " + process.argv[1]); process.exit(2); }
  let p = new URL(m[1]).pathname; if (!p.endsWith("/")) p += "/"; console.log(p);
' "$site/site.yaml")"

pages="$HERE/pages.json"
[ -f "$site/a11y-pages.json" ] && pages="$site/a11y-pages.json"

echo "== check.mjs"
set +e
node "$HERE/check.mjs" --site "$out" --base "$base" --pages "$pages" --artifacts "$artifacts" \
  --chromium "$CHROMIUM_PATH" --report "$artifacts/a11y-report.json"
rc=$?
set -e

if [ "$expect_failure" = 0 ]; then
  exit "$rc"
fi

# --expect-failure: the check must have run (exit 1, not 2) and both validators must have found something.
if [ "$rc" != 1 ]; then
  echo "EXPECTED FAILURE NOT SEEN: check.mjs exited $rc (1 = findings, 0 = clean, 2 = could not run) for $site" >&2
  exit 1
fi
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const ok = r.vnuErrors > 0 && r.axeViolations > 0;
  console.log(`expect-failure: vnu errors ${r.vnuErrors}, axe violations ${r.axeViolations} (${r.axeRules.join(", ")}): ` +
    (ok ? "the deliberately broken site was caught, as expected" : "NOT CAUGHT by both vnu and axe"));
  process.exit(ok ? 0 : 1);
' "$artifacts/a11y-report.json"
