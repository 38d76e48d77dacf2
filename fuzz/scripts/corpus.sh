#!/usr/bin/env bash
# The fuzz corpora: one archive per target, fuzz/corpus/<target>.tar.gz, unpacked to
# fuzz/corpus/<target>/ (ignored by git) to fuzz, minimised and packed again afterwards.
# See docs/FUZZING.md.
#
# Usage (from anywhere):
#   fuzz/scripts/corpus.sh unpack [TARGET...]        archive -> fuzz/corpus/<target>/
#   fuzz/scripts/corpus.sh pack [TARGET...]          fuzz/corpus/<target>/ -> archive
#   fuzz/scripts/corpus.sh build                     the fuzz binaries
#   fuzz/scripts/corpus.sh cmin [TARGET...]          minimise fuzz/corpus/<target>/ in place
#   fuzz/scripts/corpus.sh run SECONDS [TARGET...]   unpack, build, fuzz each target for
#                                                    SECONDS, minimise, pack
# No TARGET means all six. `run` fuzzes the targets one after another; to use more cores run
# several `run`s with different targets at once.
#
# Builds: without a sanitizer but with debug assertions and overflow checks, in
# fuzz/target-nosan (about 3x the executions of an ASan build); ASAN=1 uses cargo fuzz's
# AddressSanitizer build in fuzz/target. Only a stable toolchain is needed (RUSTC_BOOTSTRAP=1).
# Crashes go to fuzz/artifacts/<target>/, each run's libFuzzer output to
# fuzz/artifacts/<target>/run.log.
#
# Packing is reproducible (sorted names, no owners, times or compression timestamp): an
# unchanged corpus packs to the same bytes. Needs GNU tar (--sort) and gzip.
set -euo pipefail
cd "$(dirname "$0")/../.."
ALL=(header dtype npy npz text savetxt)

die() {
  echo "corpus.sh: $*" >&2
  exit 1
}

# libFuzzer options of a target: its dictionary and input size limit.
options() {
  case "$1" in
    header | dtype) echo "-dict=fuzz/dicts/npy.dict -max_len=4096" ;;
    npy) echo "-dict=fuzz/dicts/npy.dict -max_len=16384" ;;
    npz) echo "-dict=fuzz/dicts/npz.dict -max_len=32768" ;;
    text | savetxt) echo "-max_len=4096" ;;
    *) die "unknown target '$1' (targets: ${ALL[*]})" ;;
  esac
}

targets() {
  if [ $# -eq 0 ]; then
    echo "${ALL[@]}"
  else
    for t in "$@"; do options "$t" >/dev/null; done
    echo "$@"
  fi
}

if [ -n "${ASAN:-}" ]; then
  TARGET_DIR=fuzz/target
  BUILD=(-a)
else
  TARGET_DIR=fuzz/target-nosan
  BUILD=(-s none -a --target-dir fuzz/target-nosan)
fi
BIN="$TARGET_DIR/$(rustc -vV | sed -n 's/^host: //p')/release"

unpack() {
  for t in $(targets "$@"); do
    [ -f "fuzz/corpus/$t.tar.gz" ] || die "no fuzz/corpus/$t.tar.gz"
    tar -xzf "fuzz/corpus/$t.tar.gz" -C fuzz/corpus --no-same-owner
    echo "$t: $(find "fuzz/corpus/$t" -type f | wc -l) inputs in fuzz/corpus/$t/"
  done
}

pack() {
  for t in $(targets "$@"); do
    local d="fuzz/corpus/$t"
    [ -d "$d" ] || die "no $d/ to pack (unpack first)"
    [ -n "$(find "$d" -type f -print -quit)" ] || die "$d/ is empty"
    tar -C fuzz/corpus --sort=name --format=gnu --owner=0 --group=0 --numeric-owner \
      --mtime=@0 --mode=u=rwX,go=rX --exclude='.*' -cf - "$t" | gzip -9n >"$d.tar.gz.new"
    mv "$d.tar.gz.new" "$d.tar.gz"
    echo "$t: $(find "$d" -type f | wc -l) inputs -> $d.tar.gz ($(wc -c <"$d.tar.gz") bytes)"
  done
}

build() {
  RUSTC_BOOTSTRAP=1 cargo fuzz build "${BUILD[@]}"
}

# The write-back checks write small files here; removed when the script ends.
SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/npyio-fuzz.XXXXXX")
trap 'rm -rf "$SCRATCH"' EXIT
export NPYIO_FUZZ_SCRATCH="$SCRATCH"

binary() {
  [ -x "$BIN/$1" ] || die "no $BIN/$1: run '$0 build' first"
  echo "$BIN/$1"
}

cmin() {
  for t in $(targets "$@"); do
    local d="fuzz/corpus/$t" b min
    b=$(binary "$t")
    [ -d "$d" ] || die "no $d/ to minimise (unpack first)"
    min=$(mktemp -d "fuzz/corpus/.$t.min.XXXXXX")
    # shellcheck disable=SC2046 # the options are words
    "$b" -merge=1 $(options "$t") -rss_limit_mb=2048 -timeout=10 "$min" "$d" \
      2>"$min.log" || { cat "$min.log" >&2; die "$t: merge failed"; }
    local before after
    before=$(find "$d" -type f | wc -l)
    after=$(find "$min" -type f | wc -l)
    [ "$after" -gt 0 ] || die "$t: the merge kept nothing"
    rm -rf "$d" "$min.log"
    mv "$min" "$d"
    echo "$t: minimised $before -> $after inputs"
  done
}

run() {
  local seconds=${1:-}
  [[ "$seconds" =~ ^[0-9]+$ ]] || die "run needs a number of seconds"
  shift
  local ts
  ts=$(targets "$@")
  # shellcheck disable=SC2086 # one word per target
  unpack $ts
  build
  for t in $ts; do
    local b dirs=("fuzz/corpus/$t")
    b=$(binary "$t")
    # The first corpus directory receives new inputs; the regressions are only read.
    [ -d "fuzz/regressions/$t" ] && dirs+=("fuzz/regressions/$t")
    mkdir -p "fuzz/artifacts/$t"
    echo "$t: fuzzing for $seconds s (log: fuzz/artifacts/$t/run.log)"
    # shellcheck disable=SC2046
    "$b" "${dirs[@]}" $(options "$t") -rss_limit_mb=2048 \
      -timeout=10 -max_total_time="$seconds" -print_final_stats=1 \
      -artifact_prefix="fuzz/artifacts/$t/" >"fuzz/artifacts/$t/run.log" 2>&1 || {
      tail -n 40 "fuzz/artifacts/$t/run.log" >&2
      die "$t: the fuzzer stopped on a finding; see fuzz/artifacts/$t/ and docs/FUZZING.md"
    }
    grep -E '^stat::number_of_executed_units' "fuzz/artifacts/$t/run.log" | sed "s/^/$t: /"
  done
  # shellcheck disable=SC2086
  cmin $ts
  # shellcheck disable=SC2086
  pack $ts
}

[ $# -ge 1 ] || die "usage: $0 unpack|pack|build|cmin|run [SECONDS] [TARGET...]"
cmd=$1
shift
case "$cmd" in
  unpack | pack | cmin | run) "$cmd" "$@" ;;
  build) build ;;
  *) die "unknown command '$cmd'" ;;
esac
