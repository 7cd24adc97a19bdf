package io.payegress.filters.validation;

import io.payegress.filters.tenant.Tenant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * JMH: throughput and allocation of {@link PayloadValidator#validate} for the seed example (accepted) and for a body
 * with one schema error (rejected). Run from the repository root:
 *
 * <pre>
 * ./mvnw -B -q -o -pl filters -am install -DskipTests
 * ./mvnw -B -q -o -pl filters dependency:build-classpath -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test
 * java -cp filters/target/test-classes:filters/target/classes:$(cat filters/target/bench.cp) \
 *     io.payegress.filters.validation.PayloadValidatorBenchmark
 * </pre>
 *
 * <p>For steadier figures on a busy machine, warm up longer through JMH's own launcher, same classpath:
 * {@code java -cp ... org.openjdk.jmh.Main PayloadValidatorBenchmark -f 1 -wi 10 -w 2s -i 5 -r 2s -prof gc}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PayloadValidatorBenchmark {

    private final PayloadValidator validator =
            new PayloadValidator(Fixtures.couponsUseSchema(), ValidationSettings.defaults());
    private final Tenant tenant = Fixtures.store001();
    private final byte[] seed = Fixtures.utf8(Fixtures.SEED);
    private final byte[] oneError = Fixtures.utf8(Fixtures.SEED.replace("+08:00", ""));

    @Benchmark
    public ValidationResult validSeedExample() {
        return validator.validate(seed, tenant);
    }

    @Benchmark
    public ValidationResult useTimeWithoutOffset() {
        return validator.validate(oneError, tenant);
    }

    /** The brief run: 1 fork, 3 warm-up and 3 measured iterations of 2 s, with the GC (allocation) profiler. */
    public static void main(String[] args) throws RunnerException {
        Options options = new OptionsBuilder()
                .include(PayloadValidatorBenchmark.class.getName())
                .forks(1)
                .warmupIterations(3)
                .warmupTime(TimeValue.seconds(2))
                .measurementIterations(3)
                .measurementTime(TimeValue.seconds(2))
                .addProfiler(GCProfiler.class)
                .build();
        new Runner(options).run();
    }
}
