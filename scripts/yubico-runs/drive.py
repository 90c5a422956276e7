#!/usr/bin/env python3
"""Run one ceremony with `custodian run` on a real device (Yubico's yubihsm_pkcs11 in front of the simulator) under a
pseudo-terminal, typing each secret when its prompt names it. Issue 23 items 1-2; not part of npm test.

  drive.py --script S --out DIR --answers A [--secret 'REGEX=VALUE' ...] [--log FILE]

A prompt is "<who> (<name>) types: <label> (not shown as you type), then Enter: "; the first --secret whose REGEX
matches the label is typed; a label saying "only when retrying" gets an empty line; any other prompt (a secret shown
to its holder) gets Enter. What the run prints is kept in --log (shares shown on screen included: these are runs
against a simulator, never a real device's secrets)."""
import argparse, os, pty, re, select, sys, time

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--script', required=True)
    ap.add_argument('--out', required=True)
    ap.add_argument('--answers')
    ap.add_argument('--secret', action='append', default=[])
    ap.add_argument('--log')
    ap.add_argument('--rehearsal', action='store_true', help='a rehearsal run: custodian run --rehearsal (secrets from the answers)')
    ap.add_argument('--checkout', default=os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    ap.add_argument('--max-prompts', type=int, default=200)
    a = ap.parse_args()
    secrets = []
    for s in a.secret:
        k, _, v = s.partition('=')
        secrets.append((re.compile(k, re.I), v))
    argv = ['node', os.path.join(a.checkout, 'bin/custodian.js'), 'run', a.script, '--out', a.out]
    if a.answers:
        argv += ['--answers', a.answers]
    if a.rehearsal:
        argv += ['--rehearsal']
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(argv[0], argv)
    out = b''
    seen = 0
    prompts = 0
    while True:
        r, _, _ = select.select([fd], [], [], 600)
        if not r:
            print('drive.py: no output for 600 s, stopping', file=sys.stderr)
            os.kill(pid, 15)
            break
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
        text = out[seen:].decode('utf8', 'replace')
        m = re.search(r'types: (.*?) \(not shown as you type\), then Enter: |: press Enter to show the secret \(not shown as you type\), then Enter: |then press Enter: the screen is wiped \(not shown as you type\), then Enter: ', text)
        if not m:
            continue
        seen += len(text[: m.end()].encode('utf8'))
        prompts += 1
        if prompts > a.max_prompts:
            os.kill(pid, 15)
            break
        label = m.group(1)
        value = ''
        if label is not None:
            for rx, v in secrets:
                if rx.search(label):
                    value = v
                    break
            else:
                if not re.search(r'only when', label):
                    print(f'drive.py: no --secret for prompt "{label}", typing an empty line', file=sys.stderr)
        time.sleep(0.05)
        os.write(fd, value.encode('utf8') + b'\r')
    _, status = os.waitpid(pid, 0)
    text = out.decode('utf8', 'replace')
    if a.log:
        with open(a.log, 'w') as f:
            f.write(text)
    sys.stdout.write(text[-3000:])
    code = os.waitstatus_to_exitcode(status)
    print(f'\ndrive.py: custodian run exited {code}')
    sys.exit(code)

main()
