package dev.glimpse.image.store.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real HTTP server on loopback serving byte arrays, with single-range support. Paths:
 * {@code /images/<name>} honours Range; {@code /norange/<name>} ignores it; {@code /redirect/<name>}
 * answers 302 to the first; {@code /forbidden/<name>} answers 403; {@code /broken/<name>} announces
 * the full length and sends half.
 */
final class TestHttpServer implements AutoCloseable {
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");

    final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);

    TestHttpServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String[] parts = exchange.getRequestURI().getPath().split("/", 3);
            if (parts.length < 3) {
                send(exchange, 404, new byte[0]);
                return;
            }
            String mode = parts[1];
            byte[] data = files.get(parts[2]);
            if (mode.equals("forbidden")) {
                send(exchange, 403, new byte[0]);
                return;
            }
            if (mode.equals("redirect")) {
                exchange.getResponseHeaders().add("Location", "/images/" + parts[2]);
                exchange.sendResponseHeaders(302, -1);
                return;
            }
            if (data == null) {
                send(exchange, 404, new byte[0]);
                return;
            }
            boolean head = exchange.getRequestMethod().equals("HEAD");
            if (mode.equals("broken")) {
                exchange.sendResponseHeaders(200, data.length);
                exchange.getResponseBody().write(data, 0, data.length / 2);
                exchange.getResponseBody().flush();
                // Closing the connection mid-body: what a crashed server or cut network does.
                throw new IOException("simulated broken connection");
            }
            String range = exchange.getRequestHeaders().getFirst("Range");
            if (range != null && mode.equals("images")) {
                Matcher m = RANGE.matcher(range);
                if (!m.matches()) {
                    send(exchange, 400, new byte[0]);
                    return;
                }
                long first = Long.parseLong(m.group(1));
                long last = m.group(2).isEmpty() ? data.length - 1 : Math.min(Long.parseLong(m.group(2)), data.length - 1);
                if (first >= data.length) {
                    exchange.getResponseHeaders().add("Content-Range", "bytes */" + data.length);
                    exchange.sendResponseHeaders(416, -1);
                    return;
                }
                exchange.getResponseHeaders().add("Content-Range", "bytes " + first + "-" + last + "/" + data.length);
                byte[] part = java.util.Arrays.copyOfRange(data, (int) first, (int) last + 1);
                exchange.sendResponseHeaders(206, part.length);
                exchange.getResponseBody().write(part);
                return;
            }
            if (head) {
                exchange.getResponseHeaders().add("Content-Length", String.valueOf(data.length));
                exchange.sendResponseHeaders(200, -1);
                return;
            }
            send(exchange, 200, data);
        }
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
