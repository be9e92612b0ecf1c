#!/usr/bin/env bash
# Installs the real tools the platform needs into a per-user cache keyed by version,
# so a fresh clone (CI) reuses them and a new machine builds them once.
# Usage: scripts/tools.sh [moto|cfn-lint|checkov|awscli|haproxy|chromium|toxiproxy|actionlint|all]...   (prints nothing on a hit)
set -euo pipefail

MOTO_VERSION=5.2.5
# the lean emulator serves moto through cheroot (keep-alive, thread pool); bump MOTO_VENV with any
# change to the moto venv's packages so a cached venv without them is never reused
CHEROOT_VERSION=11.1.2
MOTO_VENV=$MOTO_VERSION-2
CFN_LINT_VERSION=1.58.0
CHECKOV_VERSION=3.3.30
TOXIPROXY_VERSION=v2.12.0
AWSCLI_VERSION=1.45.11
ACTIONLINT_VERSION=v1.7.12

CACHE="${IMAGERY_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/imagery-chaos}"
mkdir -p "$CACHE"
log() { echo "[tools] $*" >&2; }

# pip packages into their own venv, marked complete only after a successful install
venv_tool() { # name cache-key pip-spec...
  local dir="$CACHE/$1-$2"
  if [ ! -f "$dir/.installed" ]; then
    log "installing ${*:3} into $dir"
    rm -rf "$dir" && python3 -m venv "$dir"
    "$dir/bin/pip" install --quiet --disable-pip-version-check "${@:3}"
    touch "$dir/.installed"
  fi
}

apt_tool() { # binary package
  if ! command -v "$1" >/dev/null 2>&1; then
    log "installing Debian package $2"
    export DEBIAN_FRONTEND=noninteractive
    apt_get update -qq
    apt_get install -y -qq --no-install-recommends "$2"
  fi
}

# apt-get, waiting while another apt holds its locks (a new machine's boot-time update, say) rather
# than failing: `apt-get update` gives up at once on a held lock, whatever DPkg::Lock::Timeout says
apt_get() {
  local sudo="" err tries=0
  [ "$(id -u)" = 0 ] || sudo="sudo"
  err="$(mktemp)"
  until $sudo apt-get -o DPkg::Lock::Timeout=600 "$@" >/dev/null 2>"$err"; do
    if grep -q 'Could not get lock' "$err" && [ $((tries += 1)) -lt 600 ]; then
      sleep 1
    else
      cat "$err" >&2 && rm -f "$err" && return 1
    fi
  done
  rm -f "$err"
}

go_tool() { # name version module-path binary-name
  local dir="$CACHE/$1-$2"
  if [ ! -x "$dir/bin/$1" ]; then
    log "building $3@$2 with go install (first time only)"
    mkdir -p "$dir/bin"
    # a folder of its own per install, then an atomic rename: a build killed halfway leaves no
    # half-written binary behind
    local tmp; tmp="$(mktemp -d "$dir/bin.XXXXXX")"
    GOBIN="$tmp" GOFLAGS=-mod=mod go install "$3@$2"
    mv -f "$tmp/$4" "$dir/bin/$1" && rm -rf "$tmp"
  fi
}

# Runs "$@" holding lock $1: jest's workers and the lint ask for tools at once, and on a new machine two
# installs of one tool (or two apt installs) side by side would break each other
locked() {
  local fd
  exec {fd}>>"$CACHE/.$1.lock"
  flock "$fd"
  "${@:2}"
  exec {fd}>&-
}

install_one() {
  case "$1" in
    moto) locked moto venv_tool moto "$MOTO_VENV" "moto[server]==$MOTO_VERSION" "cheroot==$CHEROOT_VERSION" ;;
    cfn-lint) locked cfn-lint venv_tool cfn-lint "$CFN_LINT_VERSION" "cfn-lint==$CFN_LINT_VERSION" ;;
    checkov) locked checkov venv_tool checkov "$CHECKOV_VERSION" "checkov==$CHECKOV_VERSION" ;;
    awscli) locked awscli venv_tool awscli "$AWSCLI_VERSION" "awscli==$AWSCLI_VERSION" ;;
    haproxy) locked apt apt_tool haproxy haproxy ;;
    chromium) locked apt apt_tool chromium chromium ;;
    toxiproxy) locked toxiproxy go_tool toxiproxy-server "$TOXIPROXY_VERSION" github.com/Shopify/toxiproxy/v2/cmd/server server ;;
    actionlint) locked actionlint go_tool actionlint "$ACTIONLINT_VERSION" github.com/rhysd/actionlint/cmd/actionlint actionlint ;;
    all) for t in moto cfn-lint chromium; do install_one "$t"; done ;;
    *) echo "unknown tool: $1" >&2; exit 2 ;;
  esac
}

# `path NAME` prints the binary's location (after installing it if missing)
if [ "${1:-}" = path ]; then
  install_one "$2"
  case "$2" in
    moto) echo "$CACHE/moto-$MOTO_VENV/bin/moto_server" ;;
    cfn-lint) echo "$CACHE/cfn-lint-$CFN_LINT_VERSION/bin/cfn-lint" ;;
    checkov) echo "$CACHE/checkov-$CHECKOV_VERSION/bin/checkov" ;;
    awscli) echo "$CACHE/awscli-$AWSCLI_VERSION/bin/aws" ;;
    toxiproxy) echo "$CACHE/toxiproxy-server-$TOXIPROXY_VERSION/bin/toxiproxy-server" ;;
    actionlint) echo "$CACHE/actionlint-$ACTIONLINT_VERSION/bin/actionlint" ;;
    *) command -v "$2" ;;
  esac
  exit 0
fi

for t in "${@:-all}"; do install_one "$t"; done
