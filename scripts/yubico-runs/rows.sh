# Sourced by run-all.sh: one function per row of the results table.
ALL_ROWS="keygen_p256_2 keygen_p256_8 keygen_p384_2 keygen_p384_8 keygen_rsa2048_2 keygen_rsa2048_8 keygen_rsa3072_2 keygen_rsa3072_8 keygen_ed25519_2 keygen_ed25519_8 inventory"

keygen() { # row algorithm id label
  script key-generation "$RUNS/$1.yaml"
  answers key-generation "$RUNS/$1.answers.yaml" --param algorithm=$2 --param id=$3 --param label=$4 --param policy=backupable \
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
