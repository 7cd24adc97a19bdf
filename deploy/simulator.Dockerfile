# WeChat Pay v3 simulator image (demo and load tests only; never deployed next to a real merchant key).
# Build from the repository root after `./mvnw -B -pl simulator -am package -DskipTests`:
#   docker build -f deploy/simulator.Dockerfile -t payegress-simulator:0.1.0 .
ARG JRE_IMAGE=eclipse-temurin:17-jre-noble

FROM ${JRE_IMAGE} AS layers
WORKDIR /build
ARG JAR_FILE=simulator/target/payegress-simulator-0.1.0-SNAPSHOT-exec.jar
COPY ${JAR_FILE} app.jar
RUN java -Djarmode=tools -jar app.jar extract --layers --launcher --destination extracted

FROM ${JRE_IMAGE}
# Same uid as the gateway image: the keys it generates into a shared volume are readable by the gateways.
RUN groupadd --system --gid 10001 payegress \
    && useradd --system --uid 10001 --gid 10001 --home-dir /app --no-create-home --shell /usr/sbin/nologin payegress \
    && mkdir -p /keys && chown 10001:10001 /keys
WORKDIR /app
COPY --from=layers /build/extracted/dependencies/ ./
COPY --from=layers /build/extracted/spring-boot-loader/ ./
COPY --from=layers /build/extracted/snapshot-dependencies/ ./
COPY --from=layers /build/extracted/application/ ./
USER 10001:10001
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
EXPOSE 8090
# Options as --key=value arguments or SIM_* environment variables (simulator/README.md "Standalone").
ENTRYPOINT ["java", "org.springframework.boot.loader.launch.JarLauncher"]
