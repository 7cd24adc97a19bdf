package io.payegress.filters.signing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One read of a watched file: the symlink-resolved path, last-modified time, size and SHA-256 of its content, plus
 * the content. Two snapshots with equal fingerprints hold the same file version.
 */
record FileSnapshot(Fingerprint fingerprint, String text) {

    /** What identifies a version of a file: Kubernetes Secret rotation changes the resolved path of a symlink. */
    record Fingerprint(Path resolvedPath, long lastModifiedMillis, long size, String sha256) {}

    static FileSnapshot read(Path file) throws IOException {
        Path resolved = file.toRealPath();
        BasicFileAttributes attributes = Files.readAttributes(resolved, BasicFileAttributes.class);
        byte[] content = Files.readAllBytes(resolved);
        Fingerprint fingerprint =
                new Fingerprint(resolved, attributes.lastModifiedTime().toMillis(), attributes.size(), sha256(content));
        return new FileSnapshot(fingerprint, new String(content, StandardCharsets.US_ASCII));
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }
}
