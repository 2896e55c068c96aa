#!/usr/bin/python3
"""unixcat.py [--console LOG EXITED END] PATH: bridge stdin/stdout to a UNIX
stream socket (what `socat - UNIX-CONNECT:PATH` does; socat/nc/telnet are not
installed here). Used as a LAVA `commands.connections.*.connect` command.
Retries the connect for 30 s so that it may run before QEMU created the
socket.

--console LOG EXITED END: the kernel console. A thread drains the socket all
the time (into LOG too), so that the guest never waits on a console nobody
reads while a job's test monitors read the test stream. When QEMU closes the
socket (it exited), everything read is written out, then the lines EXITED
and END, and the connection stays open until LAVA closes it: a monitor
reports EXITED and ends on END, where an end of file would fail the job as
an infrastructure error."""
import os, queue, select, socket, sys, threading, time, tty

args = sys.argv[1:]
console = None
if args[:1] == ["--console"] and len(args) >= 4:
    console, args = args[1:4], args[4:]
if len(args) != 1:
    sys.exit("usage: unixcat.py [--console LOG EXITED END] PATH")
path = args[0]
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


def write_all(data):
    while data:
        data = data[os.write(out, data):]


if console:
    log, exited, end = console
    chunks = queue.Queue()

    def drain():
        with open(log, "wb", buffering=0) as f:
            while True:
                data = s.recv(65536)
                chunks.put(data)
                if not data:
                    return
                f.write(data)

    threading.Thread(target=drain, daemon=True).start()
    while True:
        data = chunks.get()
        if not data:
            break
        write_all(data)
    write_all(("\r\n%s\r\n%s\r\n" % (exited, end)).encode())
    while os.read(fd_in, 65536):  # until LAVA closes the connection
        pass
    sys.exit(0)

while True:
    r, _, _ = select.select([s, fd_in], [], [])
    if s in r:
        data = s.recv(65536)
        if not data:
            break
        write_all(data)
    if fd_in in r:
        data = os.read(fd_in, 65536)
        if not data:
            break
        s.sendall(data)
