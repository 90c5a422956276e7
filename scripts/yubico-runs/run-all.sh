#!/bin/sh
# Every PKCS#11 ceremony through Yubico's yubihsm_pkcs11 (built outside the repo) against `custodian simulator
# yubihsm`, in a loopback-only network namespace (a connector URL is a real device: the air-gap rule applies).
#   sudo scripts/yubico-runs/run-all.sh [rows…]     YUBICO_BUILD=<cmake build dir>  RUNS=<output dir>
# Skips (exit 0) when the Yubico build is absent. Not part of npm test.
set -u
. "$(dirname "$0")/lib.sh"
if [ ! -f "$MODULE" ] || [ ! -x "$SHELL_BIN" ]; then
  echo "yubico-runs: skipped, no Yubico build at $YUBICO_BUILD (pkcs11/yubihsm_pkcs11.so, src/yubihsm-shell)"; exit 0
fi
if [ -z "${IN_NETNS:-}" ]; then
  exec unshare -n sh -c 'ip link set lo up && IN_NETNS=1 exec sh "$0" "$@"' "$0" "$@"
fi
mkdir -p "$RUNS/out"; : > "$RUNS/results.txt"
printf "connector = http://127.0.0.1:$PORT\n${MODULE_DEBUG:+debug\n}" > "$YUBIHSM_PKCS11_CONF"
rm -f "$RUNS/state.json"
$C simulator yubihsm --listen 127.0.0.1:$PORT --state "$RUNS/state.json" > "$RUNS/simulator.log" 2>&1 &
SIM=$!
trap 'kill $SIM 2>/dev/null' EXIT
sleep 2
. "$HERE/rows.sh"
. "$HERE/rows-r7.sh"
ROWS=${*:-$ALL_ROWS}
for r in $ROWS; do echo "== $r"; "row_$r"; tail -1 "$RUNS/results.txt"; done
