package dev.idtgen.qemu;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A client of QEMU's human monitor on a unix socket
 * ({@code -monitor unix:PATH,server,nowait}): sends one command, reads until
 * the next {@code (qemu)} prompt, returns what QEMU printed.
 */
public final class QemuMonitor implements AutoCloseable {

    private final SocketChannel ch;

    private QemuMonitor(SocketChannel ch) {
        this.ch = ch;
    }

    public static QemuMonitor connect(Path socket) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(socket));
        QemuMonitor m = new QemuMonitor(ch);
        m.readPrompt();
        return m;
    }

    /** Runs one monitor command; returns its output without the echo and the prompt. */
    public String command(String cmd) throws IOException {
        if (cmd.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("one line per monitor command");
        }
        ch.write(ByteBuffer.wrap((cmd + "\n").getBytes(StandardCharsets.UTF_8)));
        String s = readPrompt();
        // HMP echoes the command (with terminal escapes); keep what follows it
        String clean = s.replaceAll("\u001b\\[[0-9;]*[A-Za-z]", "").replace("\r", "");
        int i = clean.indexOf(cmd);
        return (i >= 0 ? clean.substring(i + cmd.length()) : clean).strip();
    }

    private String readPrompt() throws IOException {
        StringBuilder b = new StringBuilder();
        ByteBuffer buf = ByteBuffer.allocate(4096);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!b.toString().endsWith("(qemu) ")) {
            if (System.nanoTime() > deadline) {
                throw new IOException("no monitor prompt from QEMU within 10 s (got: " + b + ")");
            }
            buf.clear();
            int n = ch.read(buf);
            if (n < 0) {
                throw new IOException("QEMU closed the monitor (got: " + b + ")");
            }
            b.append(new String(buf.array(), 0, n, StandardCharsets.UTF_8));
        }
        return b.substring(0, b.length() - "(qemu) ".length());
    }

    @Override
    public void close() throws IOException {
        ch.close();
    }
}
