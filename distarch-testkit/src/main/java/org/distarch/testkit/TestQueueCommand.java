package org.distarch.testkit;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.distarch.queue.Feeder;
import org.distarch.queue.FeederControl;
import org.distarch.queue.ItemContext;
import org.distarch.queue.QueueCommand;
import org.distarch.worker.WorkerContext;

/**
 * {@code test:queue}: a queue group's command driven by the group's params, for tests and the demo.
 *
 * <ul>
 *   <li>{@code items} (default 3): the feeder hands out items {@code item-1} ... {@code item-N}, then stays
 *       empty;</li>
 *   <li>{@code outcomes}: a file where the feeder appends one line per outcome, {@code ok ID} or
 *       {@code error ID MESSAGE}, flushed at once;</li>
 *   <li>{@code fail}: item ids whose handler throws {@code refused ID};</li>
 *   <li>{@code handle_ms}: how long each handler works;</li>
 *   <li>{@code quiet}: no log line per item;</li>
 *   <li>{@code min_consumers}: the feeder stays empty until that many consumers are connected;</li>
 *   <li>{@code hang}: item ids whose handler never returns (a consumer stuck on them).</li>
 * </ul>
 */
public final class TestQueueCommand extends QueueCommand<TestQueueCommand.Item> {

    /** One work item: its number and a text. */
    public record Item(int n, String text) {}

    public TestQueueCommand() {
        super(Item.class);
    }

    @Override
    public String name() {
        return "test:queue";
    }

    @Override
    public String description() {
        return "Test queue group: feeds params.items items, handles them";
    }

    @Override
    protected Feeder<Item> feeder(WorkerContext context, FeederControl control) {
        Map<String, Object> params = context.params();
        int count = ((Number) params.getOrDefault("items", 3)).intValue();
        boolean quiet = Boolean.TRUE.equals(params.get("quiet"));
        int minConsumers = ((Number) params.getOrDefault("min_consumers", 0)).intValue();
        Object outcomesParam = params.get("outcomes");
        BufferedWriter outcomes = outcomesParam == null ? null : open(Path.of(outcomesParam.toString()));
        return new Feeder<>() {
            private int next = 1;

            @Override
            public boolean empty() {
                return next > count || control.connectedConsumers() < minConsumers;
            }

            @Override
            public Item next() {
                int n = next++;
                return new Item(n, "Item " + n);
            }

            @Override
            public String idOf(Item item) {
                return "item-" + item.n();
            }

            @Override
            public void success(Item item) {
                if (!quiet) {
                    context.logger().info("Item item-{} succeeded", item.n());
                }
                write(outcomes, "ok item-" + item.n());
            }

            @Override
            public void error(Item item, String error) {
                context.logger().warn("Item item-{} failed: {}", item.n(), error);
                write(outcomes, "error item-" + item.n() + " " + error.replace('\n', ' '));
            }
        };
    }

    @Override
    protected void handleItem(ItemContext item, Item value) throws Exception {
        Map<String, Object> params = item.worker().params();
        Object fail = params.get("fail");
        if (fail instanceof List<?> ids && ids.contains(item.itemId())) {
            throw new IllegalStateException("refused " + item.itemId());
        }
        Object hang = params.get("hang");
        if (hang instanceof List<?> ids && ids.contains(item.itemId())) {
            item.worker().logger().info("Hanging on {}", item.itemId());
            while (true) {
                Thread.sleep(60_000);
            }
        }
        Object ms = params.get("handle_ms");
        if (ms instanceof Number n && n.longValue() > 0) {
            Thread.sleep(n.longValue());
        }
        if (!Boolean.TRUE.equals(params.get("quiet"))) {
            System.out.println("Handled " + value.text() + " (" + item.itemId() + ", attempt " + item.attempt() + ")");
        }
    }

    private static BufferedWriter open(Path file) {
        try {
            return Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(BufferedWriter out, String line) {
        if (out == null) {
            return;
        }
        try {
            out.write(line);
            out.newLine();
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
