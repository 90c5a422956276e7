# Sourced by run-all.sh after rows.sh: restore, the same script on two modules, and the bad inputs (issue 23 item 4
# and its bad-input list). Each bad row writes "objects before N after M" (yubihsm-shell list-objects) to results.txt.
BUNDLE_SRC=${BUNDLE_SRC:-/work/yubico-inputs/backup-softhsm}

# restore of a bundle Custodian made on SoftHSM2 (a backup ceremony's folder: journal.jsonl + outputs/backup-bundle-*)
row_restore() {
  b=$(ls -d "$BUNDLE_SRC"/outputs/backup-bundle-* | head -1)
  # restore names its token targetTokenLabel (lib.sh's script/answers give tokenLabel, which restore does not declare)
  p="--param targetTokenLabel=YubiHSM --param custodians=3 --param threshold=2"
  $C template restore $p | sed -e "s#module: default#module: $MODULE#" -e "s#label: Custodian Rehearsal#label: YubiHSM#" > "$RUNS/restore.yaml"
  $C template restore --answers-example $p --param "bundle=$b" --param "backupJournal=$BUNDLE_SRC/journal.jsonl" > "$RUNS/restore.answers.yaml.example"
  python3 "$HERE/answers.py" "$RUNS/restore.answers.yaml.example" "$RUNS/restore.answers.yaml"
  drive restore "$RUNS/restore.yaml" "$RUNS/restore.answers.yaml" --secret "share=x"
}

# the rehearsal script as `custodian template` prints it, run on SoftHSM2; then only its devices section changed
row_same_script() {
  home=$RUNS/home; rm -rf "$home"; mkdir -p "$home"
  CUSTODIAN_HOME=$home $C devices > /dev/null 2>&1
  rpin=$(python3 -c "import json;print(json.load(open('$home/rehearsal/rehearsal-pins.json'))['user'])")
  CUSTODIAN_HOME=$home $C template key-generation > "$RUNS/same.softhsm.yaml"
  sed -e '/^devices:/,/^[a-z]/{' -e "s#module: default#module: $MODULE#" -e 's#label: Custodian Rehearsal#label: YubiHSM#' -e '}' "$RUNS/same.softhsm.yaml" > "$RUNS/same.yubico.yaml"
  diff "$RUNS/same.softhsm.yaml" "$RUNS/same.yubico.yaml" > "$RUNS/same.diff"
  p="--param algorithm=EC-P256 --param label=same-script --param policy=signing --param subject=CN=Same-Script-Root --param csr=true --param selfSigned=true"
  CUSTODIAN_HOME=$home $C template key-generation --answers-example $p | sed "s#REPLACE-WITH-THE-REHEARSAL-USER-PIN#$rpin#" > "$RUNS/same.softhsm.answers.yaml"
  ( export CUSTODIAN_HOME=$home DRIVE_REHEARSAL=1; drive same_script_softhsm "$RUNS/same.softhsm.yaml" "$RUNS/same.softhsm.answers.yaml" )
  answers key-generation "$RUNS/same.yubico.answers.yaml" $p --param tokenLabel=YubiHSM
  drive same_script_yubico "$RUNS/same.yubico.yaml" "$RUNS/same.yubico.answers.yaml"
  for side in softhsm yubico; do
    echo "same_script $side: $(grep -h '"stepId":"read-back"' "$RUNS/out/same_script_$side/journal.jsonl" | grep step.completed | python3 -c "import json,sys
for l in sys.stdin:
  r=json.loads(l)['data']['result']; print('label', r['label'], 'id', r['id'], 'policy', r['policy'], 'holds', r['policyHolds'], 'fingerprint', r.get('fingerprint'))")"
  done >> "$RUNS/results.txt"
  echo "same_script diff (only the devices section): $(grep -c '^[<>]' "$RUNS/same.diff") changed lines: $(grep '^[<>]' "$RUNS/same.diff" | tr '\n' ' ')" >> "$RUNS/results.txt"
}

# bad ROW SCRIPT ANSWERS [drive args]: a run that must be refused; the device's object count before and after
bad() {
  row=$1; shift
  n0=$(objects); drive "$row" "$@"; n1=$(objects)
  echo "$row objects before $n0 after $n1; said: $(grep -m1 -E 'refused|failed|Refused|Failed' "$RUNS/$row.log" | tr -d '\r' | cut -c1-400)" >> "$RUNS/results.txt"
}
badkeygen() { # row label algorithm [id]
  row=$1; script key-generation "$RUNS/$row.yaml"
  answers key-generation "$RUNS/$row.answers.yaml" --param algorithm=$3 --param "label=$2" --param policy=signing --param csr=false --param selfSigned=false ${4:+--param id=$4}
}
row_bad_not_pkcs11() {
  badkeygen bad_not_pkcs11 bad-module EC-P256 0c10
  sed -i "s#module: $MODULE#module: /usr/lib/x86_64-linux-gnu/libz.so.1#" "$RUNS/bad_not_pkcs11.yaml"
  bad bad_not_pkcs11 "$RUNS/bad_not_pkcs11.yaml" "$RUNS/bad_not_pkcs11.answers.yaml"
}
row_bad_connector() {
  badkeygen bad_connector bad-connector EC-P256 0c11
  printf "connector = http://127.0.0.1:12399\n" > "$RUNS/dead-connector.conf"
  n0=$(objects); YUBIHSM_PKCS11_CONF=$RUNS/dead-connector.conf drive bad_connector "$RUNS/bad_connector.yaml" "$RUNS/bad_connector.answers.yaml"; n1=$(objects)
  echo "bad_connector objects before $n0 after $n1; said: $(grep -m1 -E 'refused|failed|Refused|Failed' "$RUNS/bad_connector.log" | tr -d '\r' | cut -c1-400)" >> "$RUNS/results.txt"
}
row_bad_pin() {
  for i in 1 2 3; do
    badkeygen bad_pin_$i bad-pin-$i EC-P256 0c2$i
    bad bad_pin_$i "$RUNS/bad_pin_$i.yaml" "$RUNS/bad_pin_$i.answers.yaml" --secret "^User PIN=0001wrongpassword$i"
  done
  badkeygen bad_pin_after bad-pin-after EC-P256 0c24
  drive bad_pin_after "$RUNS/bad_pin_after.yaml" "$RUNS/bad_pin_after.answers.yaml"
}
row_bad_algorithm() {
  badkeygen bad_algorithm bad-rsa1024 RSA-1024 0c30
  bad bad_algorithm "$RUNS/bad_algorithm.yaml" "$RUNS/bad_algorithm.answers.yaml"
}
# the module offers no CKM_AES_KEY_GEN in front of the simulator (pkcs11-tool -M lists none): AES-256 is what it lacks
row_bad_algorithm_aes() {
  badkeygen bad_algorithm_aes bad-aes256 AES-256 0c31
  bad bad_algorithm_aes "$RUNS/bad_algorithm_aes.yaml" "$RUNS/bad_algorithm_aes.answers.yaml"
}
row_bad_label() {
  badkeygen bad_label a-label-of-forty-one-bytes-for-the-yubihsm EC-P256 0c40
  bad bad_label "$RUNS/bad_label.yaml" "$RUNS/bad_label.answers.yaml"
}

ALL_ROWS="keygen_p256_2 keygen_p256_8 keygen_p384_2 keygen_p384_8 keygen_rsa2048_2 keygen_rsa2048_8 keygen_rsa3072_2 keygen_rsa3072_8 keygen_ed25519_2 keygen_ed25519_8 inventory keygen_ed25519_nocert_2 keygen_backupable backup restore same_script sign_subordinate sign_crl key_rotation key_destruction bad_not_pkcs11 bad_connector bad_pin bad_algorithm bad_algorithm_aes bad_label token_init user_pin_reset pin_change inventory_after checks"
