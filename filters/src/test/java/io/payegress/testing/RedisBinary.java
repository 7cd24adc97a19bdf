package io.payegress.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Optional;

/**
 * Finds a {@code redis-server} executable: {@code /usr/bin/redis-server}, then any on PATH, then the Linux binary
 * shipped inside {@code com.github.codemonstur:embedded-redis}, extracted once per JVM
 * ({@code -Dpayegress.redis.binary=embedded} forces the latter).
 */
final class RedisBinary {

    private static final String EMBEDDED_AMD64 = "/redis-server-6.2.6-v5-linux-amd64";
    private static final String EMBEDDED_ARM64 = "/redis-server-6.2.7-linux-arm64";

    private static volatile Path resolved;

    private RedisBinary() {}

    static synchronized Path path() {
        if (resolved == null) {
            boolean forceEmbedded = "embedded".equals(System.getProperty("payegress.redis.binary"));
            resolved = (forceEmbedded ? Optional.<Path>empty() : installed()).orElseGet(RedisBinary::extractEmbedded);
        }
        return resolved;
    }

    private static Optional<Path> installed() {
        Path system = Path.of("/usr/bin/redis-server");
        if (Files.isExecutable(system)) {
            return Optional.of(system);
        }
        String pathVar = System.getenv().getOrDefault("PATH", "");
        for (String dir : pathVar.split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, "redis-server");
            if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static Path extractEmbedded() {
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String resource = arch.contains("aarch64") || arch.contains("arm64") ? EMBEDDED_ARM64 : EMBEDDED_AMD64;
        if (!os.contains("linux")) {
            throw new IllegalStateException("No redis-server on PATH and no embedded binary for " + os + "/" + arch
                    + ": install redis-server or run Docker");
        }
        try (InputStream in = RedisBinary.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("No redis-server on PATH and " + resource
                        + " not on the test classpath (com.github.codemonstur:embedded-redis)");
            }
            Path target = Files.createTempFile("payegress-redis-server", "");
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            if (!target.toFile().setExecutable(true)) {
                throw new IllegalStateException("cannot make " + target + " executable");
            }
            target.toFile().deleteOnExit();
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract the embedded redis-server", e);
        }
    }
}
