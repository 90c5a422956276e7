# Runs a command in a pseudo-terminal and answers its prompts, as a person at the keyboard would.
# argv[1]: JSON [command...]; argv[2]: JSON [[prompt substring, text to type], ...] answered in order.
# Prints everything the terminal showed; exits with the command's exit code.
import json, os, pty, select, sys

command = json.loads(sys.argv[1])
answers = json.loads(sys.argv[2])
pid, fd = pty.fork()
if pid == 0:
    os.execvp(command[0], command)
seen = b''
answered = 0
while True:
    ready, _, _ = select.select([fd], [], [], 240)
    if not ready:
        break
    try:
        data = os.read(fd, 4096)
    except OSError:
        break
    if not data:
        break
    seen += data
    sys.stdout.buffer.write(data)
    sys.stdout.flush()
    while answered < len(answers) and answers[answered][0].encode() in seen:
        seen = seen.split(answers[answered][0].encode(), 1)[1]
        os.write(fd, answers[answered][1].encode() + b'\r')
        answered += 1
_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status))
