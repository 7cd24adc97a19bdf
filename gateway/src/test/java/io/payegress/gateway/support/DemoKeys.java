package io.payegress.gateway.support;

import io.payegress.simulator.signing.KeyMaterial;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Fresh demo keys written as PEM files: the merchant's key pair (the gateway signs with the private half, the
 * simulator verifies with the public half) and the platform key pair (the simulator signs answers, the gateway
 * verifies). Generated at every start; no private key is ever committed.
 */
public record DemoKeys(Path directory, KeyMaterial merchant, KeyMaterial platform) {

    public static DemoKeys generate(Path directory) {
        DemoKeys keys = new DemoKeys(directory, KeyMaterial.generate(), KeyMaterial.generatePlatform());
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        keys.merchant.writePrivateKeyPem(keys.merchantKeyFile());
        keys.platform.writePublicKeyPem(keys.platformPublicKeyFile());
        return keys;
    }

    public Path merchantKeyFile() {
        return directory.resolve("apiclient_key.pem");
    }

    public Path platformPublicKeyFile() {
        return directory.resolve("wechatpay_public_key.pem");
    }

    /** Replaces the merchant key file the way a Secret rotation does (atomic move) and returns the new key. */
    public KeyMaterial rotateMerchantKey() {
        KeyMaterial next = KeyMaterial.generate();
        Path staged = directory.resolve("apiclient_key.pem.next");
        next.writePrivateKeyPem(staged);
        try {
            Files.move(staged, merchantKeyFile(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return next;
    }
}
