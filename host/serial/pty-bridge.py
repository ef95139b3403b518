# A pseudo-terminal for `kilohash serial virtual-board`: writes the terminal's path as the
# first line on stderr, then relays bytes between the terminal and this process's stdin and
# stdout until stdin closes. Node cannot open a pty pair without a native addon; Python's
# standard library can. The slave stays open here too, so a program that closes the port and
# opens it again finds the board still there.
import os, pty, select, sys, tty

master, slave = pty.openpty()
tty.setraw(slave)  # bytes pass unchanged: no echo, no line editing, no CR/LF mapping
sys.stderr.write(os.ttyname(slave) + '\n')
sys.stderr.flush()
stdin, stdout = sys.stdin.fileno(), sys.stdout.fileno()


def write_all(fd, data):
    while data:
        data = data[os.write(fd, data):]


while True:
    ready, _, _ = select.select([master, stdin], [], [])
    if stdin in ready:
        data = os.read(stdin, 4096)
        if not data:
            break
        write_all(master, data)
    if master in ready:
        try:
            data = os.read(master, 4096)
        except OSError:
            continue
        if data:
            write_all(stdout, data)
