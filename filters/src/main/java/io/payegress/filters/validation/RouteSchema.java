package io.payegress.filters.validation;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One route's JSON Schema (draft 2020-12 unless the file says otherwise), compiled once with format assertions on
 * in a registry of its own (two routes may share a file and {@code $id} with different settings);
 * its errors come back as {@link Problem}s worded by {@link SchemaMessages}, never in the library's own terms.
 */
final class RouteSchema {

    private static final SchemaRegistryConfig CONFIG = SchemaRegistryConfig.builder()
            .formatAssertionsEnabled(true)
            .pathType(PathType.JSON_POINTER)
            .failFast(false)
            .build();

    private final Schema schema;
    private final Set<String> declaredFields;
    private final Set<String> requiredFields;

    /** Compiles {@code schemaTree}; the top level refuses unknown fields unless {@code allowUnknownFields}. */
    RouteSchema(JsonNode schemaTree, boolean allowUnknownFields) {
        if (!schemaTree.isObject()) {
            throw new IllegalArgumentException("a route schema must be a JSON object");
        }
        ObjectNode tree = (ObjectNode) schemaTree.deepCopy();
        if (allowUnknownFields) {
            tree.remove("additionalProperties");
        } else {
            tree.put("additionalProperties", false);
        }
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(
                SpecificationVersion.DRAFT_2020_12, builder -> builder.schemaRegistryConfig(CONFIG));
        this.schema = registry.getSchema(tree);
        this.schema.initializeValidators();
        this.declaredFields = names(tree.path("properties").propertyNames());
        this.requiredFields = names(
                tree.path("required").valueStream().map(JsonNode::asString).toList());
    }

    void validate(JsonNode body, List<Problem> problems) {
        for (Error error : schema.validate(body)) {
            JsonNode instance = error.getInstanceNode();
            if (instance == null || !instance.isNull()) {
                problems.add(SchemaMessages.toProblem(error));
            }
        }
    }

    /** Whether the schema names {@code field} among its top-level properties. */
    boolean declares(String field) {
        return declaredFields.contains(field);
    }

    /** Whether the schema lists {@code field} as required at the top level. */
    boolean requires(String field) {
        return requiredFields.contains(field);
    }

    private static Set<String> names(Iterable<String> names) {
        Set<String> set = new HashSet<>();
        names.forEach(set::add);
        return Set.copyOf(set);
    }
}
