package io.pbtnas.cli.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The gateway process's I/O counters from {@code /proc/<pid>/io} (Linux): {@code wchar} counts every
 * byte it wrote by a system call, response bodies into sockets included, so the server's side of a
 * read shows bytes sent that the client dropped unread (an aborted stream). Zeros where unreadable.
 */
record GatewayIo(long rchar, long wchar) {
    static GatewayIo of(long pid) {
        if (pid <= 0) {
            return new GatewayIo(0, 0);
        }
        try {
            long r = 0;
            long w = 0;
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "io"))) {
                if (line.startsWith("rchar:")) {
                    r = Long.parseLong(line.substring(6).trim());
                } else if (line.startsWith("wchar:")) {
                    w = Long.parseLong(line.substring(6).trim());
                }
            }
            return new GatewayIo(r, w);
        } catch (IOException | RuntimeException e) {
            return new GatewayIo(0, 0);
        }
    }

    GatewayIo minus(GatewayIo before) {
        return new GatewayIo(rchar - before.rchar, wchar - before.wchar);
    }
}
