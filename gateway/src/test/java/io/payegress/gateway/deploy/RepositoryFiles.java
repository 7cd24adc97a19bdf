package io.payegress.gateway.deploy;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the repository root (the directory holding {@code helm/} and {@code deploy/}) from the test's working dir. */
public final class RepositoryFiles {

    private RepositoryFiles() {}

    public static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            if (Files.isDirectory(dir.resolve("helm/payegress")) && Files.isDirectory(dir.resolve("deploy"))) {
                return dir;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("no helm/payegress above " + Path.of("").toAbsolutePath());
    }

    static Path chart() {
        return root().resolve("helm/payegress");
    }
}
