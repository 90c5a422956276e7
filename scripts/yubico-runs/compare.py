#!/usr/bin/env python3
"""compare.py RUNS P11TOOL_LISTING SHELL_INFO: every key a run's transcript says it made (the generate step's result in
each $RUNS/out/*/journal.jsonl), compared with what pkcs11-tool -O (through the same module) and yubihsm-shell
get-object-info (same build) show now. One line per key and tool: MATCH or DIFFERS with the differences. Keys the
key-rotation row retired keep their id and carry "<label>-retired-<date>" in pkcs11-tool; the labels given after the
files (the key-destruction row's) must be absent from both tools. Issue 23 item 2; not part of npm test."""
import glob, json, os, re, sys

runs, listing_file, info_file = sys.argv[1:4]
destroyed = set(sys.argv[4:])  # labels a later row destroyed
CAPS = {'CKK_EC': 'sign-ecdsa', 'CKK_RSA': 'sign-pkcs:sign-pss', 'CKK_EC_EDWARDS': 'sign-eddsa'}
ALGO = {'EC-P256': 'ecp256', 'EC-P384': 'ecp384', 'EC-P521': 'ecp521', 'RSA-2048': 'rsa2048', 'RSA-3072': 'rsa3072',
        'RSA-4096': 'rsa4096', 'Ed25519': 'ed25519'}
P11TYPE = {'CKK_EC': 'EC', 'CKK_RSA': 'RSA', 'CKK_EC_EDWARDS': 'EC_EDWARDS'}
ALL_DOMAINS = ':'.join(str(d) for d in range(1, 17))


def made_keys():
    for journal in sorted(glob.glob(os.path.join(runs, 'out', '*', 'journal.jsonl'))):
        row = os.path.basename(os.path.dirname(journal))
        for line in open(journal):
            event = json.loads(line)
            data = event.get('data') or {}
            if event.get('type') == 'step.completed' and data.get('stepId') == 'generate' and data.get('result', {}).get('label'):
                yield row, data['result']


def p11_blocks(text):
    blocks, current = [], None
    for line in text.splitlines():
        m = re.match(r'^(Private|Public) Key Object; (\S+)', line)
        if m:
            current = {'kind': m.group(1), 'type': m.group(2)}
            blocks.append(current)
        elif current is not None and re.match(r'^\s+\w[\w ]*:', line):
            k, _, v = line.strip().partition(':')
            current[k.strip()] = v.strip()
        elif not line.startswith(' '):
            current = None
    return blocks


def shell_infos(text):
    infos = {}
    for line in text.splitlines():
        if line.startswith('id: ') and 'type: asymmetric-key' in line:
            fields = dict(re.findall(r'(\w+): ("[^"]*"|[^,]+)', line))
            infos[fields['id']] = {k: v.strip('"') for k, v in fields.items()}
    return infos


blocks = p11_blocks(open(listing_file).read())
infos = shell_infos(open(info_file).read())
for row, key in made_keys():
    if row.endswith('_softhsm'):
        continue  # made on the rehearsal SoftHSM2 token (the same-script pair), not on the module
    label, kid, ktype, policy = key['label'], key['id'], key['keyType'], key['policy']
    expect_absent = label in destroyed
    mine = [b for b in blocks if b.get('ID') == kid]
    # pkcs11-tool: both halves, label (a retired key carries its new label in the meta object), id, type, usage
    diffs = []
    if expect_absent:
        diffs = [] if not mine else [f'{len(mine)} object(s) still listed after key-destruction']
        print(f'{row} {label} id {kid}: pkcs11-tool {"ABSENT as destroyed" if not diffs else "DIFFERS " + "; ".join(diffs)}')
        info = infos.get('0x' + kid)
        print(f'{row} {label} id {kid}: yubihsm-shell {"ABSENT as destroyed" if info is None else "DIFFERS: still on the device"}')
        continue
    kinds = sorted(b['kind'] for b in mine)
    if kinds != ['Private', 'Public']:
        diffs.append(f'halves {kinds}')
    for b in mine:
        if not (b.get('label') == label or b.get('label', '').startswith(label + '-retired-')):
            diffs.append(f'{b["kind"]} label {b.get("label")!r} not {label!r}')
        if b['type'] != P11TYPE.get(ktype, '?'):
            diffs.append(f'{b["kind"]} type {b["type"]} not {P11TYPE.get(ktype)}')
        want_usage = 'sign' if b['kind'] == 'Private' else 'verify'
        if b.get('Usage') != want_usage:
            diffs.append(f'{b["kind"]} usage {b.get("Usage")!r} not {want_usage!r}')
        if b['kind'] == 'Private':
            access = b.get('Access', '')
            want = 'never extractable' if policy == 'signing' else 'extractable'
            if want not in access or 'sensitive' not in access:
                diffs.append(f'access {access!r} does not say sensitive, {want}')
    print(f'{row} {label} id {kid} {ktype} {policy}: pkcs11-tool {"MATCH" if not diffs else "DIFFERS " + "; ".join(diffs)}'
          f' ({len(mine)} objects: ' + ', '.join(f'{b["kind"]} {b.get("label")} usage {b.get("Usage")}' for b in mine) + ')')
    # yubihsm-shell: the device object under the 2-byte id, its algorithm, capabilities and domains
    info = infos.get('0x' + kid)
    if info is None:
        print(f'{row} {label} id {kid}: yubihsm-shell DIFFERS: no asymmetric key 0x{kid} on the device')
        continue
    sdiffs = []
    if info.get('algorithm') != ALGO.get(key['algorithm']):
        sdiffs.append(f'algorithm {info.get("algorithm")} not {ALGO.get(key["algorithm"])}')
    want_caps = CAPS[ktype] + (':exportable-under-wrap' if policy == 'backupable' else '')
    if info.get('capabilities') != want_caps:
        sdiffs.append(f'capabilities {info.get("capabilities")} not {want_caps}')
    if info.get('domains') != ALL_DOMAINS:
        sdiffs.append(f'domains {info.get("domains")} not {ALL_DOMAINS} (the module gives a key all 16)')
    if info.get('origin') != 'generated':
        sdiffs.append(f'origin {info.get("origin")}')
    # the device label stays the first label; a retired key's new label lives in the module's meta object
    if info.get('label') != label:
        sdiffs.append(f'device label {info.get("label")!r} not {label!r}')
    print(f'{row} {label} id 0x{kid}: yubihsm-shell {"MATCH" if not sdiffs else "DIFFERS " + "; ".join(sdiffs)}'
          f' (algorithm {info.get("algorithm")}, capabilities {info.get("capabilities")}, domains {info.get("domains")}, origin {info.get("origin")})')
