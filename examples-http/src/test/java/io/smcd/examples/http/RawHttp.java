package io.smcd.examples.http;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * HTTP/1.1 over a plain {@link Socket}, as curl would speak it: no Netty and no threads, so the server sees a client
 * that knows nothing of SMC-D. Requests go out verbatim, so paths are not normalised on the way. Not thread-safe.
 */
final class RawHttp implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;

    RawHttp(SocketAddress server) throws IOException {
        socket = new Socket();
        socket.setSoTimeout(10_000);
        socket.connect(server, 10_000);
        in = new BufferedInputStream(socket.getInputStream());
    }

    /** One response: status code, headers by lower-case name, body. */
    static final class Response {
        final int status;
        final Map<String, String> headers;
        final byte[] body;

        Response(int status, Map<String, String> headers, byte[] body) {
            this.status = status;
            this.headers = headers;
            this.body = body;
        }

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** Writes {@code request} as is. */
    void send(String request) throws IOException {
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
    }

    /** Sends {@code GET path} (or another method) on this connection and reads the response. */
    Response exchange(String method, String path) throws IOException {
        send(method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        return read(method.equals("HEAD"));
    }

    /** Reads the next response; a HEAD response has no body whatever its Content-Length. */
    Response read(boolean head) throws IOException {
        String statusLine = line();
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].equals("HTTP/1.1")) {
            throw new IOException("bad status line: " + statusLine);
        }
        Map<String, String> headers = new TreeMap<>();
        for (String line = line(); !line.isEmpty(); line = line()) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        int length = head ? 0 : Integer.parseInt(headers.get("content-length"));
        byte[] body = in.readNBytes(length);
        if (body.length != length) {
            throw new EOFException("body ended after " + body.length + " of " + length + " bytes");
        }
        return new Response(Integer.parseInt(parts[1]), headers, body);
    }

    /** Whether the server closed the connection: the next read sees end of stream. */
    boolean closedByServer() throws IOException {
        return in.read() < 0;
    }

    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new EOFException("connection closed in the middle of a header line");
            }
            line.write(b);
        }
        String s = line.toString(StandardCharsets.US_ASCII);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    static RawHttp connect(InetSocketAddress server) throws IOException {
        return new RawHttp(server);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
