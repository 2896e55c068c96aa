#!/usr/bin/python3
"""unixcat.py PATH: bridge stdin/stdout to a UNIX stream socket (what
`socat - UNIX-CONNECT:PATH` does; socat/nc/telnet are not installed here).
Used as a LAVA `commands.connections.*.connect` command.  Retries the
connect for 30 s so that it may run before QEMU created the socket."""
import os, select, socket, sys, time, termios, tty

path = sys.argv[1]
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
deadline = time.monotonic() + 30
while True:
    try:
        s.connect(path)
        break
    except OSError:
        if time.monotonic() > deadline:
            sys.exit("unixcat: cannot connect to %s" % path)
        time.sleep(0.1)
fd_in = sys.stdin.fileno()
if os.isatty(fd_in):
    tty.setraw(fd_in)  # pass bytes through; no local echo, no CR/LF games
out = sys.stdout.fileno()
while True:
    r, _, _ = select.select([s, fd_in], [], [])
    if s in r:
        data = s.recv(65536)
        if not data:
            break
        os.write(out, data)
    if fd_in in r:
        data = os.read(fd_in, 65536)
        if not data:
            break
        s.sendall(data)
