package org.distarch.it.seed;

import java.util.Map;
import org.distarch.config.QueueGroupConfig;
import org.distarch.queue.Feeder;
import org.distarch.queue.FeederControl;
import org.distarch.queue.ItemContext;
import org.distarch.queue.QueueCommand;
import org.distarch.worker.WorkerContext;
import org.slf4j.Logger;

/**
 * The seed README's {@code TestQueueCommand} ({@code da:my-queue-command} there, {@code app:test-queue-command}
 * here, the name its configuration uses), ported to Java as a user would, with the public API only: one class
 * for both sides, {@link #feeder} when run as the feeder, {@link #handleItem} when run as a consumer.
 *
 * <p>The application part the seed leaves out ("The content of $item is application related"): the feeder
 * hands out {@code params.Items} items (default 5), {@code "Item 1"} …; a consumer logs each item it handles,
 * and refuses the item numbered {@code params.FailItem} (to show a failed item). With {@code params.Consumers}
 * the feeder waits until that many consumers are connected before handing anything out.
 *
 * <p>The seed's pre-run check example, which the seed shows on this class: a queue group whose params hold
 * {@code PreRunCheck: fail} is refused, every other one passes.
 */
public final class SeedTestQueueCommand extends QueueCommand<SeedTestQueueCommand.Item> {

    /** An application item: its number and a text. */
    public record Item(int number, String text) {}

    public SeedTestQueueCommand() {
        super(Item.class);
    }

    @Override
    public String name() {
        return "app:test-queue-command";
    }

    @Override
    public String description() {
        return "Launch the slave test queue command";
    }

    /** Called when this command runs as the feeder: the application's source of items. */
    @Override
    protected Feeder<Item> feeder(WorkerContext context, FeederControl control) {
        int count = number(context.params(), "Items", 5);
        int consumers = number(context.params(), "Consumers", 0);
        return new Feeder<>() {
            private int next = 1;

            @Override
            public boolean empty() {
                return next > count || control.connectedConsumers() < consumers;
            }

            @Override
            public Item next() {
                int n = next++;
                return new Item(n, "Item " + n);
            }

            @Override
            public String idOf(Item item) {
                return "item-" + item.number();
            }

            @Override
            public void success(Item item) {
                context.logger().info("{} done", item.text());
            }

            @Override
            public void error(Item item, String error) {
                context.logger().warn("{} failed: {}", item.text(), error);
            }
        };
    }

    /** Called when this command runs as a consumer, for each item the feeder sends. */
    @Override
    protected void handleItem(ItemContext item, Item value) {
        if (value.number() == number(item.worker().params(), "FailItem", -1)) {
            throw new IllegalStateException("cannot handle " + value.text());
        }
        // Anything printed here is an info line of this process for the master.
        System.out.println("Handled " + value.text() + " on " + item.worker().host());
    }

    @Override
    public boolean preRunCheck(QueueGroupConfig group, Logger logger) {
        if ("fail".equals(String.valueOf(group.params().get("PreRunCheck")))) {
            logger.error("{} refuses to run: PreRunCheck is fail", group.name());
            return false; // not ok: the master will not run this group
        }
        return true; // everything is ok, proceed
    }

    private static int number(Map<String, Object> params, String key, int otherwise) {
        Object value = params.get(key);
        return value instanceof Number n ? n.intValue() : otherwise;
    }
}
