package io.payegress.testing;

import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import java.nio.file.Files;
import java.nio.file.Path;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A redis:7-alpine container bound to a fixed host port, so {@link #restart()} can bring a fresh container back on
 * the address clients already hold. Used only where a Docker engine answers.
 */
final class ContainerRedisBackend implements RedisBackend {

    private static final DockerImageName IMAGE = DockerImageName.parse("redis:7-alpine");

    private final int port;
    private GenericContainer<?> container;

    private ContainerRedisBackend(int port) {
        this.port = port;
        this.container = launch(port);
    }

    /** True when a Docker engine is configured and answers; checks cheaply first to avoid Testcontainers' noise. */
    static boolean dockerAvailable() {
        if ("process".equals(System.getProperty("payegress.redis.fixture"))) {
            return false;
        }
        boolean configured = System.getenv("DOCKER_HOST") != null
                || Files.exists(Path.of("/var/run/docker.sock"))
                || Files.exists(Path.of(System.getProperty("user.home"), ".testcontainers.properties"));
        return configured && DockerClientFactory.instance().isDockerAvailable();
    }

    static ContainerRedisBackend start() {
        return new ContainerRedisBackend(RedisProcess.freePort());
    }

    private static GenericContainer<?> launch(int port) {
        GenericContainer<?> redis = new GenericContainer<>(IMAGE)
                .withCommand("redis-server", "--save", "", "--appendonly", "no", "--protected-mode", "no")
                .withExposedPorts(6379)
                .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig()
                        .withPortBindings(new PortBinding(
                                Ports.Binding.bindIpAndPort("127.0.0.1", port), ExposedPort.tcp(6379))));
        redis.start();
        return redis;
    }

    @Override
    public String host() {
        return "127.0.0.1";
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public synchronized void stop() {
        if (container != null) {
            container.stop();
            container = null;
        }
    }

    @Override
    public synchronized void restart() {
        stop();
        container = launch(port);
    }

    @Override
    public void close() {
        stop();
    }
}
