package io.payegress.filters.signing;

import static io.payegress.filters.signing.MerchantTestKeys.CERT_A;
import static io.payegress.filters.signing.MerchantTestKeys.CERT_B;
import static io.payegress.filters.signing.MerchantTestKeys.KEY_A;
import static io.payegress.filters.signing.MerchantTestKeys.KEY_B;
import static io.payegress.filters.signing.MerchantTestKeys.SERIAL_A;
import static io.payegress.filters.signing.MerchantTestKeys.SERIAL_B;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PemFileMerchantKeySourceTest {

    private static final String MCHID = "1900000001";

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T06:00:00Z"));

    @Test
    void readsTheKeyAndTakesTheSerialFromTheCertificate() throws IOException {
        MerchantCredentials credentials = source(
                        write("key.pem", KEY_A), write("cert.pem", CERT_A), null, Duration.ZERO)
                .current();

        assertThat(credentials.merchantId()).isEqualTo(MCHID);
        assertThat(credentials.serialNo()).isEqualTo(SERIAL_A);
        assertThat(credentials.privateKey()).isEqualTo(PemKeys.privateKey(KEY_A));
    }

    @Test
    void usesAConfiguredSerialInUpperCase() throws IOException {
        MerchantCredentials credentials = source(write("key.pem", KEY_A), null, " 5157f09efdc0 ", Duration.ZERO)
                .current();

        assertThat(credentials.serialNo()).isEqualTo("5157F09EFDC0");
    }

    @Test
    void requiresExactlyOneOfCertificateAndSerial() throws IOException {
        Path key = write("key.pem", KEY_A);
        Path cert = write("cert.pem", CERT_A);

        assertThatIllegalArgumentException()
                .isThrownBy(() -> source(key, null, null, Duration.ZERO))
                .withMessageContaining("exactly one of certificateFile")
                .withMessageContaining("neither");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> source(key, cert, SERIAL_A, Duration.ZERO))
                .withMessageContaining("both");
    }

    @Test
    void failsFastNamingTheFileWhenTheKeyIsMissingOrCorrupt() throws IOException {
        Path corrupt = write("corrupt.pem", KEY_A.substring(0, 300) + "\n-----END PRIVATE KEY-----\n");

        assertThatIllegalStateException()
                .isThrownBy(() -> source(dir.resolve("absent.pem"), null, SERIAL_A, Duration.ZERO))
                .withMessageContaining("absent.pem");
        assertThatIllegalStateException()
                .isThrownBy(() -> source(corrupt, null, SERIAL_A, Duration.ZERO))
                .withMessageContaining("corrupt.pem")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(KEY_A.split("\n")[3]));
    }

    @Test
    void failsFastWhenTheCertificateBelongsToAnotherKey() throws IOException {
        Path key = write("key.pem", KEY_A);
        Path cert = write("cert.pem", CERT_B);

        assertThatIllegalStateException()
                .isThrownBy(() -> source(key, cert, null, Duration.ZERO))
                .withMessageContaining("does not belong to the private key");
    }

    @Test
    void picksUpAKeyReplacedByAtomicMoveOnTheNextCall() throws IOException {
        Path key = write("key.pem", KEY_A);
        PemFileMerchantKeySource source = source(key, null, SERIAL_A, Duration.ZERO);
        assertThat(source.current().privateKey()).isEqualTo(PemKeys.privateKey(KEY_A));

        replace(key, KEY_B);

        assertThat(source.current().privateKey()).isEqualTo(PemKeys.privateKey(KEY_B));
    }

    @Test
    void followsAKubernetesSecretSymlinkSwap() throws IOException {
        Path secret = Files.createDirectory(dir.resolve("secret"));
        writeVersion(secret, "..2026_11_27_06_00_00.1", KEY_A, CERT_A);
        Files.createSymbolicLink(secret.resolve("..data"), Path.of("..2026_11_27_06_00_00.1"));
        Path key = Files.createSymbolicLink(secret.resolve("apiclient_key.pem"), Path.of("..data/apiclient_key.pem"));
        Path cert =
                Files.createSymbolicLink(secret.resolve("apiclient_cert.pem"), Path.of("..data/apiclient_cert.pem"));
        PemFileMerchantKeySource source = source(key, cert, null, Duration.ZERO);
        assertThat(source.current().serialNo()).isEqualTo(SERIAL_A);

        writeVersion(secret, "..2026_11_27_07_00_00.2", KEY_B, CERT_B);
        Files.createSymbolicLink(secret.resolve("..data_tmp"), Path.of("..2026_11_27_07_00_00.2"));
        Files.move(secret.resolve("..data_tmp"), secret.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);

        MerchantCredentials rotated = source.current();
        assertThat(rotated.serialNo()).isEqualTo(SERIAL_B);
        assertThat(rotated.privateKey()).isEqualTo(PemKeys.privateKey(KEY_B));
    }

    @Test
    void keepsThePreviousKeyWhenTheReplacementIsCorruptAndTakesTheNextGoodOne() throws IOException {
        Path key = write("key.pem", KEY_A);
        PemFileMerchantKeySource source = source(key, null, SERIAL_A, Duration.ZERO);

        replace(key, "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n");
        assertThat(source.current().privateKey()).isEqualTo(PemKeys.privateKey(KEY_A));
        Files.delete(key);
        assertThat(source.current().privateKey()).isEqualTo(PemKeys.privateKey(KEY_A));

        replace(key, KEY_B);
        assertThat(source.current().privateKey()).isEqualTo(PemKeys.privateKey(KEY_B));
    }

    @Test
    void keepsTheMatchingPairWhileOnlyTheKeyHasBeenRotated() throws IOException {
        Path key = write("key.pem", KEY_A);
        Path cert = write("cert.pem", CERT_A);
        PemFileMerchantKeySource source = source(key, cert, null, Duration.ZERO);

        replace(key, KEY_B);
        MerchantCredentials halfway = source.current();
        replace(cert, CERT_B);
        MerchantCredentials done = source.current();

        assertThat(halfway.serialNo()).isEqualTo(SERIAL_A);
        assertThat(halfway.privateKey()).isEqualTo(PemKeys.privateKey(KEY_A));
        assertThat(done.serialNo()).isEqualTo(SERIAL_B);
        assertThat(done.privateKey()).isEqualTo(PemKeys.privateKey(KEY_B));
    }

    @Test
    void looksAtTheFilesAtMostOncePerCheckInterval() throws IOException {
        Path key = write("key.pem", KEY_A);
        PemFileMerchantKeySource source = source(key, null, SERIAL_A, Duration.ofSeconds(30));

        replace(key, KEY_B);
        assertThat(source.current().privateKey()).isEqualTo(PemKeys.privateKey(KEY_A));
        clock.advance(Duration.ofSeconds(29));
        assertThat(source.current().privateKey()).isEqualTo(PemKeys.privateKey(KEY_A));
        clock.advance(Duration.ofSeconds(1));
        assertThat(source.current().privateKey()).isEqualTo(PemKeys.privateKey(KEY_B));

        replace(key, KEY_A);
        clock.advance(Duration.ofSeconds(29));
        assertThat(source.current().privateKey()).isEqualTo(PemKeys.privateKey(KEY_B));
    }

    @Test
    void toStringNeverContainsKeyMaterial() throws IOException {
        PemFileMerchantKeySource source =
                source(write("key.pem", KEY_A), write("cert.pem", CERT_A), null, Duration.ZERO);

        String text = source + " " + source.current();

        assertThat(text).contains(MCHID, SERIAL_A);
        for (String line : KEY_A.split("\n")) {
            if (line.length() >= 40 && !line.startsWith("-----")) {
                assertThat(text).doesNotContain(line.substring(8, 40));
            }
        }
    }

    private PemFileMerchantKeySource source(
            Path key, @Nullable Path cert, @Nullable String serial, Duration checkInterval) {
        return new PemFileMerchantKeySource(MCHID, key, cert, serial, checkInterval, clock);
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    private void replace(Path target, String content) throws IOException {
        Path staged = Files.writeString(Files.createTempFile(dir, "staged", ".pem"), content);
        Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void writeVersion(Path secret, String version, String key, String cert) throws IOException {
        Path versionDir = Files.createDirectory(secret.resolve(version));
        Files.writeString(versionDir.resolve("apiclient_key.pem"), key);
        Files.writeString(versionDir.resolve("apiclient_cert.pem"), cert);
    }
}
