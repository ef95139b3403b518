# A pseudo-terminal whose other end is a TCP connection: prints the terminal's path, then
# relays bytes both ways until stdin closes. Lets a test open a real serial device path
# (with the real serialport package) that leads to a board simulated in the test process.
# Node cannot open a pty pair without a native addon; Python's standard library can.
import os, pty, select, socket, sys, tty

port = int(sys.argv[1])
master, slave = pty.openpty()
tty.setraw(slave)  # bytes pass unchanged: no echo, no line editing, no CR/LF mapping
print(os.ttyname(slave), flush=True)
sock = socket.create_connection(('127.0.0.1', port))
while True:
    ready, _, _ = select.select([master, sock, sys.stdin], [], [])
    if sys.stdin in ready and not os.read(sys.stdin.fileno(), 1024):
        break
    if master in ready:
        data = os.read(master, 4096)
        if data:
            sock.sendall(data)
    if sock in ready:
        data = sock.recv(4096)
        if not data:
            break
        os.write(master, data)
