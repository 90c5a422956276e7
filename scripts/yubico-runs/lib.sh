# Sourced by run-all.sh. Yubico's build and where the runs go.
YUBICO_BUILD=${YUBICO_BUILD:-/work/yubico-build/build}
RUNS=${RUNS:-/tmp/yubico-runs}
HERE=$(cd "$(dirname "$0")" && pwd)
CHECKOUT=$(cd "$HERE/../.." && pwd)
MODULE=$YUBICO_BUILD/pkcs11/yubihsm_pkcs11.so
SHELL_BIN=$YUBICO_BUILD/src/yubihsm-shell
PORT=${PORT:-12345}
PIN=0001password
export LD_LIBRARY_PATH=$YUBICO_BUILD/lib
export YUBIHSM_PKCS11_CONF=$RUNS/yubihsm_pkcs11.conf
C="node $CHECKOUT/bin/custodian.js"

# script NAME FILE [--param k=v ...]: the template expanded, its device section pointed at Yubico's module
script() {
  name=$1; file=$2; shift 2
  $C template "$name" --param tokenLabel=YubiHSM "$@" \
    | sed -e "s#module: default#module: $MODULE#" -e "s#label: Custodian Rehearsal#label: YubiHSM#" > "$file"
  # the PIN templates name no device (they use the configured module): give them Yubico's
  grep -q '^devices:' "$file" || sed -i "s#^parameters:#devices:\n  - { id: hsm, type: pkcs11, module: $MODULE, token: { label: YubiHSM } }\n\nparameters:#" "$file"
}
# answers NAME FILE [--param k=v ...]; FILL="OLD=NEW …" replaces placeholder text (no spaces in a pair)
answers() {
  name=$1; file=$2; shift 2
  $C template "$name" --answers-example --param tokenLabel=YubiHSM "$@" > "$file.example"
  python3 "$HERE/answers.py" "$file.example" "$file" ${FILL:-}
}
# drive ROW SCRIPT ANSWERS [--secret R=V ...]: one run, its outcome appended to $RUNS/results.txt
drive() {
  row=$1; s=$2; a=$3; shift 3
  out=$RUNS/out/$row; rm -rf "$out"
  if python3 "$HERE/drive.py" ${DRIVE_REHEARSAL:+--rehearsal} --checkout "$CHECKOUT" --script "$s" --answers "$a" --out "$out" --log "$RUNS/$row.log" \
      "$@" --secret "^User PIN=$PIN" > "$RUNS/$row.tail" 2>&1; then
    echo "$row PASSED" >> "$RUNS/results.txt"
  else
    echo "$row FAILED $(grep -m1 -iE 'refused|failed|error|aborted' "$RUNS/$row.tail" | cut -c1-300)" >> "$RUNS/results.txt"
  fi
}
# ysh CMD…: yubihsm-shell (same build) on the simulator, its session chatter dropped
ysh() { "$SHELL_BIN" -C "http://127.0.0.1:$PORT" -p "${CHECK_PASSWORD:-password}" -a "$@" 2>&1 | grep -v -e keepalive -e 'Created session'; }
# objects: how many objects the device holds (yubihsm-shell list-objects)
objects() { ysh list-objects | sed -n 's/^Found \([0-9]*\) object.*/\1/p'; }
