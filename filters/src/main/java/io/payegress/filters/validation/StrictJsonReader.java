package io.payegress.filters.validation;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Parses a body into a tree with a strict, bounded parser configured once per route: duplicate keys, excess
 * nesting, over-long numbers, trailing content and anything that is not JSON are refused with a located problem.
 */
final class StrictJsonReader {

    /** Either the tree or the single problem that stopped parsing. */
    record Outcome(@Nullable JsonNode tree, @Nullable Problem problem) {}

    private final JsonMapper mapper;

    StrictJsonReader(int maxDepth, int maxNumberLength) {
        StreamReadConstraints constraints = StreamReadConstraints.builder()
                .maxNestingDepth(maxDepth)
                .maxNumberLength(maxNumberLength)
                .build();
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(constraints)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        this.mapper = JsonMapper.builder(factory)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
    }

    Outcome read(byte[] body) {
        if (isBlank(body)) {
            return failed(new Problem("", "The body is empty; it must be a JSON object", RejectionReason.NOT_JSON));
        }
        if (startsWithByteOrderMark(body)) {
            String detail = "The body must not start with a byte order mark; send plain UTF-8 JSON";
            return failed(new Problem("", detail, RejectionReason.NOT_JSON));
        }
        try {
            return new Outcome(mapper.readTree(body), null);
        } catch (StreamConstraintsException e) {
            return failed(constraintProblem(e));
        } catch (JacksonException e) {
            return failed(parseProblem(e));
        }
    }

    private static Problem constraintProblem(StreamConstraintsException e) {
        String message = String.valueOf(e.getOriginalMessage());
        String pointer = pointerOf(e);
        if (message.contains("nesting depth")) {
            return new Problem(pointer, "The body nests objects or arrays too deeply", RejectionReason.TOO_DEEP);
        }
        if (message.contains("Number value length")) {
            return new Problem(
                    pointer, "The body holds a number with too many digits", RejectionReason.NUMBER_TOO_LONG);
        }
        return new Problem(pointer, "The body exceeds the gateway's parsing limits", RejectionReason.NOT_JSON);
    }

    private static Problem parseProblem(JacksonException e) {
        String message = String.valueOf(e.getOriginalMessage());
        if (message.startsWith("Duplicate Object property")) {
            return new Problem(
                    pointerOf(e), "The same field appears twice in one object", RejectionReason.DUPLICATE_KEY);
        }
        return new Problem("", "The body is not one complete, well-formed JSON object", RejectionReason.NOT_JSON);
    }

    /** Where the parser stood when it stopped, as a JSON pointer ("" when unknown or at the top). */
    private static String pointerOf(JacksonException e) {
        if (e.processor() instanceof JsonParser parser) {
            return parser.streamReadContext().pathAsPointer().toString();
        }
        return "";
    }

    /** The parser would skip it silently, but the bytes are forwarded and signed as received: refuse it. */
    private static boolean startsWithByteOrderMark(byte[] body) {
        return body.length >= 3 && (body[0] & 0xFF) == 0xEF && (body[1] & 0xFF) == 0xBB && (body[2] & 0xFF) == 0xBF;
    }

    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    private static Outcome failed(Problem problem) {
        return new Outcome(null, problem);
    }
}
