package org.distarch.queue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import org.distarch.queue.consumer.ConsumerClient;
import org.distarch.queue.consumer.ConsumerReport;
import org.distarch.queue.feeder.FeederReport;
import org.distarch.queue.feeder.FeederServer;
import org.distarch.queue.feeder.ItemSource;
import org.distarch.worker.WorkerCommand;
import org.distarch.worker.WorkerContext;
import org.distarch.worker.protocol.WorkerLine.ItemState;
import org.distarch.worker.protocol.WorkerLine.QueueItem;
import org.distarch.worker.protocol.WorkerLineCodec;

/**
 * A queue group's command (the seed's AbstractSlaveQueueCommand): the same class runs as the group's feeder,
 * where {@link #feeder} gives the application's source of items, and as each of its consumers, where
 * {@link #handleItem} handles one item, received already typed.
 *
 * <pre>{@code
 * public final class Thumbnails extends QueueCommand<Photo> {
 *     public Thumbnails() { super(Photo.class); }
 *     public String name() { return "app:thumbnails"; }
 *
 *     protected Feeder<Photo> feeder(WorkerContext context, FeederControl control) {
 *         return new PhotoTable(context.params());       // empty(), next(), success(), error()
 *     }
 *
 *     protected void handleItem(ItemContext item, Photo photo) throws Exception {
 *         resize(photo);                                   // throw to report the item as failed
 *     }
 * }
 * }</pre>
 *
 * The master tells each process its part through the environment; see docs/queue-protocol.md for a feeder
 * or consumer written in another language.
 *
 * @param <T> the item type: written to JSON by the feeder, read back into a {@code T} by the consumer
 */
public abstract class QueueCommand<T> extends WorkerCommand {

    private final ObjectMapper json;
    private final JavaType itemType;

    protected QueueCommand(Class<T> itemType) {
        this.json = objectMapper();
        this.itemType = json.constructType(itemType);
    }

    protected QueueCommand(TypeReference<T> itemType) {
        this.json = objectMapper();
        this.itemType = json.constructType(itemType);
    }

    /** The JSON mapper for items, both ways; override to register modules or change features. */
    protected ObjectMapper objectMapper() {
        return new ObjectMapper();
    }

    /**
     * Called once when this process is the group's feeder. {@code control} may be kept to say that items
     * arrived ({@link FeederControl#itemsAvailable()}) or to stop the feeder.
     */
    protected abstract Feeder<T> feeder(WorkerContext context, FeederControl control) throws Exception;

    /**
     * Handles one item when this process is a consumer. Return to report success; throw to report failure
     * with the exception's message (the item is not redelivered: it ran and failed). A handler that may run
     * longer than the group's timeout should call {@code item.worker().ping()} now and then.
     */
    protected abstract void handleItem(ItemContext item, T value) throws Exception;

    @Override
    protected final void runWorker(WorkerContext context) throws Exception {
        QueueRole role = QueueRole.from(context.environment(), context.host() + "#" + context.id(), context.id());
        if (role instanceof QueueRole.AsFeeder f) {
            runFeeder(context, f);
        } else {
            runConsumer(context, (QueueRole.AsConsumer) role);
        }
    }

    private void runFeeder(WorkerContext context, QueueRole.AsFeeder role) throws Exception {
        // The feeder prints every outcome line: it alone knows whether an answer arrived before the connection
        // ended, so events can never say "handled" for an item it redelivers or fails.
        ItemLines lines = new ItemLines(context.out());
        FeederReport report = new FeederReport() {
            @Override
            public void itemHandled(String itemId, int attempt, long consumerId, String itemJson) {
                lines.add(new QueueItem(ItemState.HANDLED, itemId, attempt, null, consumerId, itemJson, false));
            }

            @Override
            public void itemFailed(String itemId, int attempt, long consumerId, String error, String itemJson) {
                lines.add(new QueueItem(ItemState.FAILED, itemId, attempt, error, consumerId, itemJson, false));
            }

            @Override
            public void consumersConnected(int connected) {
                context.out().println(WorkerLineCodec.consumers(connected));
            }

            @Override
            public void alive() {
                context.ping();
            }

            @Override
            public void flush() {
                lines.flush();
            }
        };
        Feeder<T>[] source = new Feeder[1];
        ItemSource<T> lazy = new ItemSource<>() {
            @Override
            public boolean empty() {
                return source[0].empty();
            }

            @Override
            public T next() {
                return source[0].next();
            }

            @Override
            public void success(T item) {
                source[0].success(item);
            }

            @Override
            public void error(T item, String error) {
                source[0].error(item, error);
            }

            @Override
            public String idOf(T item) {
                return source[0].idOf(item);
            }
        };
        try (lines; FeederServer<T> server = new FeederServer<>(lazy, role.options(), json, context.logger(), report)) {
            FeederControl control = new FeederControl() {
                @Override
                public void itemsAvailable() {
                    server.itemsAvailable();
                }

                @Override
                public int connectedConsumers() {
                    return server.connectedConsumers();
                }

                @Override
                public void stop() {
                    server.stop();
                }
            };
            source[0] = feeder(context, control);
            if (source[0] == null) {
                throw new IllegalStateException(name() + ": feeder() returned null");
            }
            String where = server.bind();
            watchStop(context, server::stop);
            context.out().println(WorkerLineCodec.listening(where));
            server.run();
        }
    }

    private void runConsumer(WorkerContext context, QueueRole.AsConsumer role) throws Exception {
        ItemLines lines = new ItemLines(context.out());
        ConsumerReport report = new ConsumerReport() {
            @Override
            public void received(String itemId, int attempt, String itemJson) {
                lines.add(new QueueItem(ItemState.RECEIVED, itemId, attempt, null, context.id(), itemJson, false));
            }

            @Override
            public void idle() {
                context.ping();
            }

            @Override
            public void flush() {
                lines.flush();
            }
        };
        ConsumerClient client = new ConsumerClient(role.options(), context.logger(), report);
        watchStop(context, client::stop);
        try (lines) {
            consume(client, context);
        }
    }

    private void consume(ConsumerClient client, WorkerContext context) throws InterruptedException {
        client.run((itemId, attempt, payload) -> {
            T value;
            try {
                value = json.convertValue(payload, itemType);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("the item cannot be read as " + itemType.toCanonical() + ": "
                        + e.getMessage(), e);
            }
            handleItem(new ItemContext(context, itemId, attempt), value);
        });
    }

    /** Turns the master's stop request into {@code stop}, from a thread that only waits for it. */
    private static void watchStop(WorkerContext context, Runnable stop) {
        Thread watcher = new Thread(() -> {
            try {
                while (!context.awaitStop(Duration.ofDays(1))) {
                    // keep waiting
                }
                stop.run();
            } catch (InterruptedException ignored) {
                // the process is ending
            }
        }, "distarch-queue-stop");
        watcher.setDaemon(true);
        watcher.start();
    }
}
