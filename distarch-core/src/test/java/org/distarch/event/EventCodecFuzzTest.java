package org.distarch.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random and mutated input never makes the decoder throw anything but IllegalArgumentException with a
 * reason free of Jackson's names, and whatever it accepts encodes back to the same event. Fixed seeds:
 * a failure reproduces.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EventCodecFuzzTest {

    private static final int RUNS = 3_000;
    private static final List<String> VALID = SampleEvents.all().stream().map(EventCodec::encode).toList();
    private static final String ALPHABET = "{}[]\":,.-+0123456789eEtrufalsn \\/u\n\tabcxyz_\u00e9\ud83d\ude00";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @ParameterizedTest
    @ValueSource(longs = {1, 42, 20261201})
    void randomText(long seed) {
        Random r = new Random(seed);
        for (int i = 0; i < RUNS; i++) {
            StringBuilder b = new StringBuilder(r.nextBoolean() ? "{" : "");
            int n = r.nextInt(200);
            for (int j = 0; j < n; j++) {
                b.append(ALPHABET.charAt(r.nextInt(ALPHABET.length())));
            }
            check(b.toString());
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {2, 43, 20261202})
    void mutatedCharacters(long seed) {
        Random r = new Random(seed);
        for (int i = 0; i < RUNS; i++) {
            StringBuilder b = new StringBuilder(VALID.get(r.nextInt(VALID.size())));
            int edits = 1 + r.nextInt(4);
            for (int j = 0; j < edits && b.length() > 0; j++) {
                int at = r.nextInt(b.length());
                switch (r.nextInt(4)) {
                    case 0 -> b.deleteCharAt(at);
                    case 1 -> b.insert(at, ALPHABET.charAt(r.nextInt(ALPHABET.length())));
                    case 2 -> b.setCharAt(at, ALPHABET.charAt(r.nextInt(ALPHABET.length())));
                    default -> b.setLength(at);
                }
            }
            check(b.toString());
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {3, 44, 20261203})
    void mutatedTrees(long seed) throws Exception {
        Random r = new Random(seed);
        ObjectMapper plain = new ObjectMapper();
        for (int i = 0; i < RUNS; i++) {
            ObjectNode tree = (ObjectNode) plain.readTree(VALID.get(r.nextInt(VALID.size())));
            int edits = 1 + r.nextInt(3);
            for (int j = 0; j < edits; j++) {
                mutate(pickObject(tree, r), r);
            }
            String json = tree.toString();
            check(json);
            JsonNode reparsed = plain.readTree(json);
            checkTree(reparsed);
        }
    }

    private static void check(String json) {
        DistarchEvent e;
        try {
            e = EventCodec.decode(json);
        } catch (IllegalArgumentException expected) {
            assertCleanReason(expected, json);
            return;
        } catch (RuntimeException | Error unexpected) {
            throw new AssertionError("input: " + json, unexpected);
        }
        assertThat(EventCodec.decode(EventCodec.encode(e))).as(json).isEqualTo(e);
    }

    private static void checkTree(JsonNode json) {
        try {
            DistarchEvent e = EventCodec.fromJson(json);
            assertThat(EventCodec.fromJson(EventCodec.toJson(e))).isEqualTo(e);
        } catch (IllegalArgumentException expected) {
            assertCleanReason(expected, json.toString());
        }
    }

    private static void assertCleanReason(IllegalArgumentException e, String input) {
        assertThat(e.getMessage()).as(input).isNotBlank().doesNotContainIgnoringCase("jackson")
                .doesNotContain("com.fasterxml").doesNotContain("`").doesNotContain("org.distarch");
    }

    /** The top-level object or one nested in it ({@code process}, {@code exit}). */
    private static ObjectNode pickObject(ObjectNode tree, Random r) {
        List<ObjectNode> objects = new ArrayList<>(List.of(tree));
        tree.elements().forEachRemaining(v -> {
            if (v instanceof ObjectNode o) {
                objects.add(o);
            }
        });
        return objects.get(r.nextInt(objects.size()));
    }

    private static void mutate(ObjectNode o, Random r) {
        List<String> fields = new ArrayList<>();
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            fields.add(it.next());
        }
        String field = fields.isEmpty() ? "x" : fields.get(r.nextInt(fields.size()));
        switch (r.nextInt(4)) {
            case 0 -> o.remove(field);
            case 1 -> o.set("extra" + r.nextInt(3), randomValue(r, 2));
            default -> o.set(field, randomValue(r, 2));
        }
    }

    private static JsonNode randomValue(Random r, int depth) {
        return switch (r.nextInt(depth > 0 ? 14 : 12)) {
            case 0 -> NODES.nullNode();
            case 1 -> NODES.booleanNode(r.nextBoolean());
            case 2 -> NODES.numberNode(r.nextInt());
            case 3 -> NODES.numberNode(r.nextLong());
            case 4 -> NODES.numberNode(-1 - r.nextInt(10));
            case 5 -> NODES.numberNode(r.nextDouble() * 1e6);
            case 6 -> NODES.numberNode(new BigInteger(100, r));
            case 7 -> NODES.textNode("");
            case 8 -> NODES.textNode(List.of("WORKER", "FEEDER", "RESTARTING", "process_started", "PT1S",
                    "2026-12-01T08:30:15Z", "12").get(r.nextInt(7)));
            case 9 -> NODES.textNode(Long.toString(r.nextLong(), 36));
            case 10 -> NODES.numberNode(Long.MAX_VALUE);
            case 11 -> NODES.numberNode(Long.MIN_VALUE);
            case 12 -> {
                ArrayNode a = NODES.arrayNode();
                a.add(randomValue(r, depth - 1));
                yield a;
            }
            default -> {
                ObjectNode n = NODES.objectNode();
                n.set("code", randomValue(r, depth - 1));
                n.set("signal", randomValue(r, depth - 1));
                yield n;
            }
        };
    }
}
