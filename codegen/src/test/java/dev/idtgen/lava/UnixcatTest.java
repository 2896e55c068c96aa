package dev.idtgen.lava;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * qemu-tests/lava/unixcat.py --console, the kernel console's connection in a
 * QEMU job: it copies the console (and keeps a copy), says QEMU's exit as two
 * lines, and stays open until LAVA closes it (an end of file would fail the
 * job).
 */
class UnixcatTest {

    @Test
    void theConsoleConnectionSaysQemusExitAsLinesAndStaysOpen(@TempDir Path dir) throws Exception {
        Path python = Path.of("/usr/bin/python3");
        Assumptions.assumeTrue(Files.isExecutable(python), "no /usr/bin/python3 here");
        Path sock = dir.resolve("ttyS0.sock");
        Path log = dir.resolve("console.log");
        String console = "Linux version 6.1\nKernel panic - not syncing: test\n".repeat(2000); // > a pipe's buffer
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(sock));
            Process p = new ProcessBuilder(python.toString(), "qemu-tests/lava/unixcat.py", "--console",
                    log.toString(), "# idtgen: qemu exited", "# idtgen: console closed", sock.toString()).start();
            try {
                try (SocketChannel qemu = server.accept()) {
                    ByteBuffer b = ByteBuffer.wrap(console.getBytes(StandardCharsets.US_ASCII));
                    while (b.hasRemaining()) {
                        qemu.write(b); // nobody reads the connection yet: the drain must not hold QEMU up
                    }
                }
                String expected = console + "\r\n# idtgen: qemu exited\r\n# idtgen: console closed\r\n";
                InputStream out = p.getInputStream();
                byte[] got = out.readNBytes(expected.length());
                assertEquals(expected, new String(got, StandardCharsets.US_ASCII));
                assertTrue(p.isAlive(), "the connection stays open after QEMU's exit");
                assertEquals(console, Files.readString(log), "the console's copy");
                p.getOutputStream().close(); // LAVA closes the connection
                assertTrue(p.waitFor(10, TimeUnit.SECONDS), "it ends when LAVA closes the connection");
                assertEquals(0, p.exitValue());
            } finally {
                p.destroyForcibly();
            }
        }
    }
}
