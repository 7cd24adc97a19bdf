package io.payegress.testing;

/** Where a {@link RedisServerFixture}'s server runs: a local process or a Docker container. */
interface RedisBackend {

    String host();

    int port();

    /** Kills the server; the port stays reserved for {@link #restart()}. */
    void stop();

    /** Starts an empty server again on the same port. */
    void restart();

    void close();
}
