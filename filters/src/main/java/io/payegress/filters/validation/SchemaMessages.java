package io.payegress.filters.validation;

import com.networknt.schema.Error;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Words schema errors for a store developer: a JSON pointer to the field and a plain sentence, keyed on the failed
 * keyword and the schema's own values (lengths, types, formats), so no library class names or schema paths leak.
 */
final class SchemaMessages {

    static final String DATE_TIME = "must be an RFC 3339 date-time with a UTC offset, e.g. 2015-05-20T13:29:35+08:00";

    private static final Map<String, String> TYPE_NAMES = Map.of(
            "string", "a string",
            "integer", "a whole number",
            "number", "a number",
            "boolean", "true or false",
            "object", "a JSON object",
            "array", "a JSON array");

    private SchemaMessages() {}

    static Problem toProblem(Error error) {
        String keyword = String.valueOf(error.getKeyword());
        String pointer = pointer(error, keyword);
        return new Problem(pointer, sentence(keyword, error.getSchemaNode()), RejectionReason.SCHEMA);
    }

    private static String pointer(Error error, String keyword) {
        String location = String.valueOf(error.getInstanceLocation());
        String property = error.getProperty();
        boolean namesChild = keyword.equals("required") || keyword.equals("additionalProperties");
        if (namesChild && property != null) {
            return Problem.child(location, property);
        }
        return location;
    }

    private static String sentence(String keyword, JsonNode value) {
        switch (keyword) {
            case "required":
                return "is required";
            case "additionalProperties":
            case "unevaluatedProperties":
                return "is not a field of this API; check its spelling";
            case "type":
                return "must be " + TYPE_NAMES.getOrDefault(value.asString(""), "of another type");
            case "minLength":
                return value.asInt() == 1
                        ? "must not be empty"
                        : "must be at least " + value.asInt() + " characters long";
            case "maxLength":
                return "must be at most " + value.asInt() + " characters long";
            case "format":
                return formatSentence(value.asString(""));
            case "pattern":
                return "does not have the form this field requires";
            case "enum":
            case "const":
                return "is not one of the values this field accepts";
            case "minimum":
            case "exclusiveMinimum":
                return "is too small";
            case "maximum":
            case "exclusiveMaximum":
                return "is too large";
            default:
                return "does not meet this API's rules for the field";
        }
    }

    private static String formatSentence(String format) {
        switch (format) {
            case "date-time":
                return DATE_TIME;
            case "date":
                return "must be an RFC 3339 date, e.g. 2015-05-20";
            default:
                return "must be a valid " + format;
        }
    }
}
