package org.distarch.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Just enough of beanstalkd's text protocol (put, reserve-with-timeout, delete) over a raw socket for the
 * queue comparison: commands are written into a buffer and sent by {@link #flush()}, so a caller pipelines
 * as many as it likes per write; replies are read one at a time. Not a general client: the bench only.
 */
final class BeanstalkClient implements Closeable {

    /** One reply line (and a job's body for {@code RESERVED}). */
    record Reply(String word, long id, byte[] body) {}

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final StringBuilder line = new StringBuilder();

    BeanstalkClient(String host, int port) throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(host, port), 10_000);
        in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
    }

    void put(byte[] body) throws IOException {
        write("put 0 0 60 " + body.length + "\r\n");
        out.write(body);
        out.write('\r');
        out.write('\n');
    }

    void reserve(int timeoutSeconds) throws IOException {
        write("reserve-with-timeout " + timeoutSeconds + "\r\n");
    }

    void delete(long id) throws IOException {
        write("delete " + id + "\r\n");
    }

    void flush() throws IOException {
        out.flush();
    }

    /** True when a reply is already buffered or on the socket: the caller may read it before flushing. */
    boolean replyWaiting() throws IOException {
        return in.available() > 0;
    }

    /** The next reply: {@code INSERTED id}, {@code RESERVED id} (with the body), {@code DELETED}, {@code TIMED_OUT}... */
    Reply next() throws IOException {
        String text = readLine();
        int space = text.indexOf(' ');
        String word = space < 0 ? text : text.substring(0, space);
        switch (word) {
            case "INSERTED" -> {
                return new Reply(word, Long.parseLong(text.substring(space + 1).trim()), null);
            }
            case "RESERVED" -> {
                String[] f = text.split(" ");
                long id = Long.parseLong(f[1]);
                byte[] body = in.readNBytes(Integer.parseInt(f[2]));
                if (in.read() != '\r' || in.read() != '\n') {
                    throw new IOException("beanstalkd: a job body without its CRLF");
                }
                return new Reply(word, id, body);
            }
            case "DELETED", "TIMED_OUT" -> {
                return new Reply(word, 0, null);
            }
            default -> throw new IOException("beanstalkd answered: " + text);
        }
    }

    private void write(String command) throws IOException {
        out.write(command.getBytes(StandardCharsets.US_ASCII));
    }

    private String readLine() throws IOException {
        line.setLength(0);
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("beanstalkd closed the connection");
            }
            if (b == '\n' && line.length() > 0 && line.charAt(line.length() - 1) == '\r') {
                line.setLength(line.length() - 1);
                return line.toString();
            }
            line.append((char) b);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
