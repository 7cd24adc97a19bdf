package io.payegress.filters.signing;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Reads the PKCS#8 PEM merchant private key (and optionally the merchant certificate PEM, whose serial becomes
 * serialNo) and re-reads them when they change: Kubernetes Secret rotation swaps a symlink, so each check compares
 * the resolved path, last-modified time, size and content hash, at most once per checkInterval (ZERO = every call).
 * A replacement that fails to read or parse, or whose certificate does not match the key, keeps the previous
 * credentials and logs a warning that never contains key material.
 */
public final class PemFileMerchantKeySource implements MerchantKeySource {

    private static final System.Logger LOG = System.getLogger(PemFileMerchantKeySource.class.getName());

    private final String merchantId;
    private final Path privateKeyFile;
    private final @Nullable Path certificateFile;
    private final @Nullable String serialNo;
    private final Duration checkInterval;
    private final Clock clock;
    private volatile MerchantCredentials credentials;
    private volatile Instant lastCheck;
    private List<FileSnapshot.Fingerprint> lastSeen;

    public PemFileMerchantKeySource(
            String merchantId,
            Path privateKeyFile,
            @Nullable Path certificateFile,
            @Nullable String serialNo,
            Duration checkInterval,
            Clock clock) {
        if ((certificateFile == null) == (serialNo == null)) {
            throw new IllegalArgumentException("merchant " + merchantId
                    + ": give exactly one of certificateFile (serial read from it) or serialNo, not "
                    + (certificateFile == null ? "neither" : "both"));
        }
        if (checkInterval.isNegative()) {
            throw new IllegalArgumentException("checkInterval must not be negative: " + checkInterval);
        }
        this.merchantId = Objects.requireNonNull(merchantId, "merchantId");
        this.privateKeyFile = Objects.requireNonNull(privateKeyFile, "privateKeyFile");
        this.certificateFile = certificateFile;
        this.serialNo = serialNo == null ? null : serialNo.strip().toUpperCase(Locale.ROOT);
        this.checkInterval = checkInterval;
        this.clock = Objects.requireNonNull(clock, "clock");
        List<FileSnapshot> snapshots;
        try {
            snapshots = readFiles();
            this.credentials = load(snapshots);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException(
                    "cannot load the signing key of merchant " + merchantId + " from " + describeFiles() + ": "
                            + e.getMessage(),
                    e);
        }
        this.lastSeen = fingerprints(snapshots);
        this.lastCheck = clock.instant();
    }

    @Override
    public MerchantCredentials current() {
        if (due(clock.instant())) {
            synchronized (this) {
                Instant now = clock.instant();
                if (due(now)) {
                    lastCheck = now;
                    reloadIfChanged();
                }
            }
        }
        return credentials;
    }

    @Override
    public String toString() {
        return "PemFileMerchantKeySource[merchantId=" + merchantId + ", files=" + describeFiles() + ", serialNo="
                + credentials.serialNo() + "]";
    }

    private boolean due(Instant now) {
        return checkInterval.isZero() || !now.isBefore(lastCheck.plus(checkInterval));
    }

    private void reloadIfChanged() {
        List<FileSnapshot> snapshots;
        try {
            snapshots = readFiles();
        } catch (IOException e) {
            LOG.log(
                    Level.WARNING,
                    "merchant {0}: cannot read {1} ({2}); keeping key serial {3}",
                    merchantId,
                    describeFiles(),
                    e.toString(),
                    credentials.serialNo());
            return;
        }
        List<FileSnapshot.Fingerprint> seen = fingerprints(snapshots);
        if (seen.equals(lastSeen)) {
            return;
        }
        lastSeen = seen;
        try {
            MerchantCredentials loaded = load(snapshots);
            LOG.log(
                    Level.INFO,
                    "merchant {0}: signing key reloaded, serial {1} -> {2}",
                    merchantId,
                    credentials.serialNo(),
                    loaded.serialNo());
            credentials = loaded;
        } catch (RuntimeException e) {
            LOG.log(
                    Level.WARNING,
                    "merchant {0}: changed key files {1} are unusable ({2}); keeping key serial {3}",
                    merchantId,
                    describeFiles(),
                    e.getMessage(),
                    credentials.serialNo());
        }
    }

    private List<FileSnapshot> readFiles() throws IOException {
        FileSnapshot key = FileSnapshot.read(privateKeyFile);
        return certificateFile == null ? List.of(key) : List.of(key, FileSnapshot.read(certificateFile));
    }

    private MerchantCredentials load(List<FileSnapshot> snapshots) {
        PrivateKey key = PemKeys.privateKey(snapshots.get(0).text());
        if (snapshots.size() == 1) {
            return new MerchantCredentials(merchantId, Objects.requireNonNull(serialNo), key);
        }
        String certificate = snapshots.get(1).text();
        String serial = PemKeys.certificateSerial(certificate);
        requireSameModulus(key, PemKeys.publicKey(certificate), serial);
        return new MerchantCredentials(merchantId, serial, key);
    }

    private static void requireSameModulus(PrivateKey key, PublicKey certificateKey, String serial) {
        if (!(key instanceof RSAKey)
                || !(certificateKey instanceof RSAKey)
                || !((RSAKey) key).getModulus().equals(((RSAKey) certificateKey).getModulus())) {
            throw new IllegalArgumentException(
                    "merchant certificate " + serial + " does not belong to the private key");
        }
    }

    private static List<FileSnapshot.Fingerprint> fingerprints(List<FileSnapshot> snapshots) {
        return snapshots.stream().map(FileSnapshot::fingerprint).toList();
    }

    private String describeFiles() {
        return certificateFile == null
                ? privateKeyFile.toString()
                : Arrays.asList(privateKeyFile, certificateFile).toString();
    }
}
