#!/usr/bin/env bash
# Builds the playground page from a clean clone: one self-contained file,
# target/playground/index.html, that works opened from disk.
#
# Needs the wasm32-unknown-unknown target (`rustup target add wasm32-unknown-unknown`),
# wasm-bindgen-cli of exactly the version playground/Cargo.toml pins
# (`cargo install wasm-bindgen-cli --version 0.2.130 --no-default-features --bin wasm-bindgen
# --debug`: the README says why), zopfli (`apt-get install zopfli`)
# and node.
set -euo pipefail
cd "$(dirname "$0")/.."

want=$(sed -n 's/^wasm-bindgen = "=\(.*\)"$/\1/p' playground/Cargo.toml)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [[ "$have" != "$want" ]]; then
  echo "playground/build.sh: needs wasm-bindgen-cli $want (found: ${have:-none});" \
    "cargo install wasm-bindgen-cli --version $want --no-default-features --bin wasm-bindgen --debug" >&2
  exit 2
fi

command -v zopfli >/dev/null || {
  echo "playground/build.sh: needs zopfli (apt-get install zopfli)" >&2
  exit 2
}

# Small rather than fast: the whole module travels inside the page (and is fast enough; see
# benches/playground.mjs). Link-time optimisation and one codegen unit shrink it further.
# (Environment variables, so the native build's profile is left as it is.)
export CARGO_PROFILE_RELEASE_OPT_LEVEL=z
export CARGO_PROFILE_RELEASE_LTO=true
export CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1
cargo build --release --locked -p chainrule-playground --target wasm32-unknown-unknown

out=target/playground
mkdir -p "$out"
wasm-bindgen --target no-modules --no-typescript --remove-name-section --remove-producers-section \
  --out-dir "$out/pkg" target/wasm32-unknown-unknown/release/chainrule_playground.wasm
# zopfli writes the same gzip format as gzip -9, 4% smaller: the page unzips it with the
# browser's DecompressionStream.
zopfli --i5 -c "$out/pkg/chainrule_playground_bg.wasm" >"$out/pkg/chainrule_playground_bg.wasm.gz"
node playground/assemble.mjs "$out/pkg" scenarios "$out/index.html"
