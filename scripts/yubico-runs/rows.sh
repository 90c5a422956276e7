# Sourced by run-all.sh: one function per row of the results table.
ALL_ROWS="keygen_p256_2 keygen_p256_8 keygen_p384_2 keygen_p384_8 keygen_rsa2048_2 keygen_rsa2048_8 keygen_rsa3072_2 keygen_rsa3072_8 keygen_ed25519_2 keygen_ed25519_8 inventory"

keygen() { # row algorithm id label
  script key-generation "$RUNS/$1.yaml"
  answers key-generation "$RUNS/$1.answers.yaml" --param algorithm=$2 --param id=$3 --param label=$4 --param policy=${POLICY:-signing} \
    --param "subject=CN=$4 Root, O=Custodian Yubico run" --param csr=true --param selfSigned=true
  drive "$1" "$RUNS/$1.yaml" "$RUNS/$1.answers.yaml"
}
row_keygen_p256_2() { keygen keygen_p256_2 EC-P256 0a01 p256-a; }
row_keygen_p256_8() { keygen keygen_p256_8 EC-P256 0a0102030405060b p256-b; }
row_keygen_p384_2() { keygen keygen_p384_2 EC-P384 0a02 p384-a; }
row_keygen_p384_8() { keygen keygen_p384_8 EC-P384 0a0102030405060c p384-b; }
row_keygen_rsa2048_2() { keygen keygen_rsa2048_2 RSA-2048 0a03 rsa2048-a; }
row_keygen_rsa2048_8() { keygen keygen_rsa2048_8 RSA-2048 0a0102030405060d rsa2048-b; }
row_keygen_rsa3072_2() { keygen keygen_rsa3072_2 RSA-3072 0a04 rsa3072-a; }
row_keygen_rsa3072_8() { keygen keygen_rsa3072_8 RSA-3072 0a0102030405060e rsa3072-b; }
row_keygen_ed25519_2() { keygen keygen_ed25519_2 Ed25519 0a05 ed25519-a; }
row_keygen_ed25519_8() { keygen keygen_ed25519_8 Ed25519 0a0102030405060f ed25519-b; }
row_inventory() {
  script inventory "$RUNS/inventory.yaml"
  answers inventory "$RUNS/inventory.answers.yaml"
  drive inventory "$RUNS/inventory.yaml" "$RUNS/inventory.answers.yaml"
}

# the ceremonies after key generation, on the root key p256-a (row keygen_p256_2 first)
ALL_ROWS="$ALL_ROWS keygen_ed25519_nocert_2 keygen_backupable backup sign_subordinate sign_crl key_rotation key_destruction token_init user_pin_reset pin_change inventory_after checks"
ROOT_CERT() { echo "$RUNS/out/keygen_p256_2/outputs/p256-a.root-certificate.pem"; }
row_keygen_ed25519_nocert_2() {
  script key-generation "$RUNS/ed.yaml"
  answers key-generation "$RUNS/ed.answers.yaml" --param algorithm=Ed25519 --param id=0a06 --param label=ed25519-c --param policy=signing --param csr=false --param selfSigned=false
  drive keygen_ed25519_nocert_2 "$RUNS/ed.yaml" "$RUNS/ed.answers.yaml"
}
row_keygen_backupable() { POLICY=backupable keygen keygen_backupable EC-P256 0a07 p256-backupable; }
row_backup() {
  script backup "$RUNS/backup.yaml"
  answers backup "$RUNS/backup.answers.yaml" --param keys=p256-a
  drive backup "$RUNS/backup.yaml" "$RUNS/backup.answers.yaml" --secret "SO.PIN=$PIN"
}
row_sign_subordinate() {
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$RUNS/sub.key" -subj "/CN=Sub CA/O=Custodian Yubico run" -out "$RUNS/sub.csr" 2>/dev/null
  fp=$(openssl req -in "$RUNS/sub.csr" -pubkey -noout | openssl pkey -pubin -outform DER | sha256sum | cut -d' ' -f1)
  script sign-subordinate "$RUNS/sign-subordinate.yaml"
  FILL="REPLACE-WITH-THE-REQUESTERS-SHA-256-FINGERPRINT-0000000000000000=$fp" answers sign-subordinate "$RUNS/sign-subordinate.answers.yaml" \
    --param rootKeyLabel=p256-a --param rootCertificate="$(ROOT_CERT)" --param csrFile="$RUNS/sub.csr"
  drive sign_subordinate "$RUNS/sign-subordinate.yaml" "$RUNS/sign-subordinate.answers.yaml"
}
row_sign_crl() {
  script sign-crl "$RUNS/sign-crl.yaml"
  answers sign-crl "$RUNS/sign-crl.answers.yaml" --param rootKeyLabel=p256-a --param rootCertificate="$(ROOT_CERT)" --param nextUpdateDays=30
  drive sign_crl "$RUNS/sign-crl.yaml" "$RUNS/sign-crl.answers.yaml"
}
row_key_rotation() {
  script key-rotation "$RUNS/key-rotation.yaml"
  answers key-rotation "$RUNS/key-rotation.answers.yaml" --param oldLabel=p384-a --param algorithm=EC-P384 --param label=p384-new --param "subject=CN=p384 Root 2" --param selfSigned=true
  drive key_rotation "$RUNS/key-rotation.yaml" "$RUNS/key-rotation.answers.yaml"
}
row_key_destruction() {
  script key-destruction "$RUNS/key-destruction.yaml"
  answers key-destruction "$RUNS/key-destruction.answers.yaml" --param label=rsa2048-a --param destroyWithoutBackup=true
  drive key_destruction "$RUNS/key-destruction.yaml" "$RUNS/key-destruction.answers.yaml"
}
simple() { script $1 "$RUNS/$2.yaml" --param practice=false; answers $1 "$RUNS/$2.answers.yaml" --param practice=false; r=$2; shift 2; drive $r "$RUNS/$r.yaml" "$RUNS/$r.answers.yaml" "$@"; }
row_token_init() { script token-init "$RUNS/token_init.yaml"; answers token-init "$RUNS/token_init.answers.yaml"; drive token_init "$RUNS/token_init.yaml" "$RUNS/token_init.answers.yaml" --secret "SO.PIN=$PIN" --secret "new=0001newpassw0rd"; }
row_user_pin_reset() { simple user-pin-reset user_pin_reset --secret "new=0001newpassw0rd" --secret "share=x"; }
row_pin_change() { simple pin-change pin_change --secret "old|current=$PIN" --secret "new=0001newpassw0rd"; }
row_inventory_after() { script inventory "$RUNS/inventory_after.yaml"; answers inventory "$RUNS/inventory_after.answers.yaml"; drive inventory_after "$RUNS/inventory_after.yaml" "$RUNS/inventory_after.answers.yaml"; } # pin-change is refused on this module: the PIN is unchanged
row_unused() { simple inventory inventory_after --secret "^User PIN=0001newpassw0rd"; }

# independent checks of what the runs made, while the simulator still serves
row_checks() {
  {
    for c in "$RUNS"/out/*/outputs/*certificate*.pem "$RUNS"/out/sign_subordinate/outputs/subordinate.pem; do [ -f "$c" ] || continue
      case "$c" in *root-certificate.pem) echo "openssl verify (self-signed) $c: $(openssl verify -CAfile "$c" "$c" 2>&1 | tail -1)";;
        *) echo "openssl verify $c: $(openssl verify -CAfile "$(ROOT_CERT)" "$c" 2>&1 | tail -1)";; esac
    done
    for r in "$RUNS"/out/*/outputs/*.csr.pem; do [ -f "$r" ] && echo "openssl req -verify $r: $(openssl req -in "$r" -verify -noout 2>&1 | tail -1)"; done
    for l in "$RUNS"/out/*/outputs/*.crl; do [ -f "$l" ] && echo "openssl crl -verify $l: $(openssl crl -in "$l" -CAfile "$(ROOT_CERT)" -noout -verify 2>&1 | tail -1)"; done
    echo "== pkcs11-tool -O"; pkcs11-tool --module "$MODULE" --login --pin "${CHECK_PIN:-$PIN}" -O > "$RUNS/p11-listing.txt" 2>&1; cat "$RUNS/p11-listing.txt"
    echo "== yubihsm-shell list-objects + get-object-info"
    ysh list-objects > "$RUNS/shell-info.txt"
    for id in $(sed -n 's/^id: \(0x[0-9a-f]*\), type: asymmetric-key.*/\1/p' "$RUNS/shell-info.txt"); do ysh get-object-info -i $id -t asymmetric-key >> "$RUNS/shell-info.txt"; done
    cat "$RUNS/shell-info.txt"
    echo "== transcript against pkcs11-tool and yubihsm-shell (compare.py)"
    python3 "$HERE/compare.py" "$RUNS" "$RUNS/p11-listing.txt" "$RUNS/shell-info.txt" rsa2048-a
  } > "$RUNS/checks.txt"
  echo "checks DONE (see $RUNS/checks.txt)" >> "$RUNS/results.txt"
}
