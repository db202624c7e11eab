#!/usr/bin/env bash
# Installs the local AWS emulator stack used by `make run` and the Go tests
# (package shared/dev/emulators):
#
#   * aws-ses-v2-local (SES v2 API emulator) -> infra/node_modules, via `npm ci`
#   * DynamoDB Local (AWS's Java emulator)    -> infra/.emulators/dynamodb-local
#   * Chromium (Debian's package, apt-get)    -> /usr/bin/chromium, for the
#     dashboard's browser test
#   * checks (does not install) python3 with aws-sam-translator and cfn-lint,
#     which the template tests (shared/dev/samtemplate) run; PyPI is not
#     reachable from CI, so they are part of the machine image
#
#   bash infra/setup.sh              # everything (make setup, CI)
#   bash infra/setup.sh --emulators  # only what `make run` and the
#                                    # emulator-backed tests need
#
# Idempotent and fast when everything is already present; runnable from any
# working directory. Concurrent runs (e.g. several Go test binaries at once)
# are serialised with flock(1) when it is available.
#
# DynamoDB Local is taken from the npm package amplify-dynamodb-simulator,
# which ships the official jar. Only its emulator/ folder is extracted, from a
# tarball fetched with `npm pack` and verified against the integrity pinned
# below. Do NOT `npm install` that package: it pulls in ~283 packages.
set -euo pipefail

DDB_PKG="amplify-dynamodb-simulator"
DDB_PKG_VERSION="2.9.30" # ships DynamoDB Local 1.25.1
DDB_PKG_INTEGRITY="sha512-xTeeRLvzEfqyd5lh3bH4c0kHvSHHmmhD5ZDsHFKAQ5g2Zl6JqlFdutaQhCLHzxEp6Ry1o7TB6niIoXuQAnSewQ=="
MIN_JAVA_MAJOR=17
# The template tests were written against these; other versions may lint
# differently, so they are reported.
SAM_TRANSLATOR_VERSION="1.110.0"
CFN_LINT_VERSION="1.51.0"

emulators_only=false
case "${1:-}" in
"") ;;
--emulators) emulators_only=true ;;
*)
	printf 'usage: %s [--emulators]\n' "$0" >&2
	exit 2
	;;
esac

INFRA_DIR="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
EMU_DIR="$INFRA_DIR/.emulators"
DDB_DIR="$EMU_DIR/dynamodb-local"
DDB_MARKER="$DDB_DIR/.version"
DDB_MARKER_CONTENT="$DDB_PKG@$DDB_PKG_VERSION $DDB_PKG_INTEGRITY"

log() { printf 'infra/setup.sh: %s\n' "$*" >&2; }
die() {
	printf 'infra/setup.sh: ERROR: %s\n' "$*" >&2
	exit 1
}

# --- template tools (installed with pip when missing, if an index answers) --

template_tools_hint="install them into the python3 on PATH: pip install aws-sam-translator==${SAM_TRANSLATOR_VERSION} cfn-lint==${CFN_LINT_VERSION} (from PyPI or your package mirror), then re-run"
if ! $emulators_only; then
	command -v python3 >/dev/null 2>&1 ||
		die "python3 not found on PATH. The template tests translate template.yaml with aws-sam-translator and lint it with cfn-lint; $template_tools_hint."
	if ! python3 -c 'import samtranslator' 2>/dev/null || ! command -v cfn-lint >/dev/null 2>&1; then
		log "installing aws-sam-translator ${SAM_TRANSLATOR_VERSION} and cfn-lint ${CFN_LINT_VERSION} (pip) for the template tests"
		python3 -m pip install --quiet "aws-sam-translator==${SAM_TRANSLATOR_VERSION}" "cfn-lint==${CFN_LINT_VERSION}" >&2 ||
			log "pip could not install them (no package index reachable?)"
		hash -r
	fi
	sam_version="$(python3 -c 'import samtranslator; print(samtranslator.__version__)' 2>/dev/null)" ||
		die "the Python package aws-sam-translator is missing for $(command -v python3). The template tests translate template.yaml with it (offline, as sam deploy would); $template_tools_hint."
	command -v cfn-lint >/dev/null 2>&1 ||
		die "cfn-lint not found on PATH. The template tests lint template.yaml and its translation with it; $template_tools_hint."
	lint_version="$(cfn-lint --version 2>/dev/null | awk '{print $2}')"
	[[ "$sam_version" == "$SAM_TRANSLATOR_VERSION" ]] ||
		log "aws-sam-translator is $sam_version; the template tests were written against $SAM_TRANSLATOR_VERSION"
	[[ "$lint_version" == "$CFN_LINT_VERSION" ]] ||
		log "cfn-lint is $lint_version; the template tests were written against $CFN_LINT_VERSION"
fi

# --- prerequisites --------------------------------------------------------

command -v java >/dev/null 2>&1 ||
	die "java not found on PATH. DynamoDB Local needs Java ${MIN_JAVA_MAJOR}+; install a JDK/JRE ${MIN_JAVA_MAJOR}+ (Debian/Ubuntu: apt-get install -y openjdk-17-jre-headless) and re-run."

# `java -version` prints e.g.: openjdk version "17.0.15" 2025-04-15  (or "1.8.0_422" for Java 8)
java_version_line="$(java -version 2>&1 | head -n 1 || true)"
java_version="$(printf '%s\n' "$java_version_line" | sed -n 's/.*version "\([^"]*\)".*/\1/p')"
java_major="${java_version%%[.+-]*}"
if [[ "$java_major" == "1" ]]; then
	java_major="$(printf '%s\n' "$java_version" | cut -d. -f2)"
fi
[[ "$java_major" =~ ^[0-9]+$ ]] ||
	die "could not parse the Java version from '\`java -version\`' output: '$java_version_line'. DynamoDB Local needs Java ${MIN_JAVA_MAJOR}+."
((java_major >= MIN_JAVA_MAJOR)) ||
	die "Java $java_version found ($(command -v java)), but DynamoDB Local needs Java ${MIN_JAVA_MAJOR}+. Install one (Debian/Ubuntu: apt-get install -y openjdk-17-jre-headless) and put it first on PATH."

command -v node >/dev/null 2>&1 ||
	die "node not found on PATH. The SES emulator (aws-ses-v2-local) needs Node.js 18+; install Node.js (with npm) and re-run."
command -v npm >/dev/null 2>&1 ||
	die "npm not found on PATH. Install npm (it ships with Node.js) and re-run."

mkdir -p "$EMU_DIR"

# Serialise concurrent runs: two `go test` binaries may call this at once on a
# clean clone. The lock lives in the gitignored .emulators folder.
if command -v flock >/dev/null 2>&1; then
	exec 9>"$EMU_DIR/.setup.lock"
	flock 9
else
	log "flock not found; not guarding against concurrent runs"
fi

# --- Chromium (the dashboard's browser test) ------------------------------

# shared/devserver's TestTheDashboardInABrowser drives Debian's chromium with
# chromedp. Installed from the distribution, never downloaded by a tool.
CHROMIUM=/usr/bin/chromium
if [[ ! -x "$CHROMIUM" ]]; then
	command -v apt-get >/dev/null 2>&1 ||
		die "$CHROMIUM not found and apt-get is not available: install Chromium (Debian/Ubuntu package 'chromium') so that $CHROMIUM exists, and re-run."
	as_root=()
	if [[ "$(id -u)" != 0 ]]; then
		command -v sudo >/dev/null 2>&1 ||
			die "$CHROMIUM not found, and installing it needs root: run 'apt-get install -y chromium' as root, and re-run."
		as_root=(sudo)
	fi
	log "installing chromium (apt-get install -y chromium) for the dashboard's browser test"
	export DEBIAN_FRONTEND=noninteractive
	if ! "${as_root[@]}" apt-get install -y -qq chromium >/dev/null; then
		log "apt-get install failed; updating the package lists and trying again"
		"${as_root[@]}" apt-get update -qq >/dev/null &&
			"${as_root[@]}" apt-get install -y -qq chromium >/dev/null ||
			die "apt-get install -y chromium failed (see the output above). Is the Debian archive reachable?"
	fi
	[[ -x "$CHROMIUM" ]] || die "apt-get installed chromium, but $CHROMIUM is still missing"
fi

# --- SES emulator (npm) ---------------------------------------------------

# node_modules is current when npm's hidden lockfile (written last by npm ci /
# npm install) is not older than package-lock.json.
nm_stamp="$INFRA_DIR/node_modules/.package-lock.json"
[[ -e "$nm_stamp" ]] || nm_stamp="$INFRA_DIR/node_modules"
if [[ ! -e "$INFRA_DIR/node_modules" || "$INFRA_DIR/package-lock.json" -nt "$nm_stamp" ||
	! -f "$INFRA_DIR/node_modules/aws-ses-v2-local/dist/cli.js" ]]; then
	log "installing npm packages (npm ci) in $INFRA_DIR"
	(cd "$INFRA_DIR" && npm ci --no-audit --no-fund --loglevel=error) ||
		die "npm ci failed in $INFRA_DIR (see the output above). Is the npm registry reachable?"
	# Make sure the freshness check above passes next time even if npm kept
	# an older hidden lockfile.
	touch "$INFRA_DIR/node_modules/.package-lock.json" 2>/dev/null || touch "$INFRA_DIR/node_modules"
fi

# --- DynamoDB Local (jar from an npm tarball) -----------------------------

if [[ -f "$DDB_DIR/DynamoDBLocal.jar" && -f "$DDB_MARKER" && "$(cat "$DDB_MARKER")" == "$DDB_MARKER_CONTENT" ]]; then
	exit 0
fi

log "fetching DynamoDB Local ($DDB_PKG@$DDB_PKG_VERSION, ~57 MB)"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/ddblocal.XXXXXX")"
trap 'rm -rf -- "$tmp"' EXIT

(cd "$tmp" && npm pack --silent --no-audit --no-fund "$DDB_PKG@$DDB_PKG_VERSION" >/dev/null) ||
	die "npm pack $DDB_PKG@$DDB_PKG_VERSION failed (see the output above). Is the npm registry reachable?"
tarball="$tmp/$DDB_PKG-$DDB_PKG_VERSION.tgz"
[[ -f "$tarball" ]] || die "npm pack did not produce $tarball"

# Same format as npm's dist.integrity: "sha512-" + base64(sha512(tarball)).
actual_integrity="sha512-$(node -e '
const fs = require("fs"), h = require("crypto").createHash("sha512");
h.update(fs.readFileSync(process.argv[1]));
process.stdout.write(h.digest("base64"));' "$tarball")"
[[ "$actual_integrity" == "$DDB_PKG_INTEGRITY" ]] ||
	die "integrity mismatch for $DDB_PKG@$DDB_PKG_VERSION: expected $DDB_PKG_INTEGRITY, got $actual_integrity. Refusing to install."

staging="$tmp/dynamodb-local"
mkdir -p "$staging"
tar -xzf "$tarball" -C "$staging" --strip-components=2 package/emulator/ ||
	die "could not extract package/emulator/ from $tarball"
[[ -f "$staging/DynamoDBLocal.jar" && -d "$staging/DynamoDBLocal_lib" ]] ||
	die "$tarball has no emulator/DynamoDBLocal.jar or emulator/DynamoDBLocal_lib"
printf '%s\n' "$DDB_MARKER_CONTENT" >"$staging/.version"

# Swap into place (the marker travels with the folder, so a half-done
# install is never mistaken for a complete one).
rm -rf -- "$DDB_DIR"
mv -- "$staging" "$DDB_DIR"
log "DynamoDB Local $(cd "$DDB_DIR" && java -jar DynamoDBLocal.jar -version 2>/dev/null | tail -n 1 || echo '?') installed in $DDB_DIR"
