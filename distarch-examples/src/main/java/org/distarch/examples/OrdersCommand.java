package org.distarch.examples;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.distarch.queue.Feeder;
import org.distarch.queue.FeederControl;
import org.distarch.queue.ItemContext;
import org.distarch.queue.QueueCommand;
import org.distarch.worker.WorkerContext;

/**
 * A queue group: the feeder receives an order now and then (a timer stands for a web shop) and hands each to
 * a consumer, which "ships" it; about one order in ten fails, and the feeder hears of every outcome.
 */
public final class OrdersCommand extends QueueCommand<OrdersCommand.Order> {

    /** One work item, written as JSON by the feeder and read back by the consumer. */
    public record Order(int number, String customer, List<String> items) {}

    private static final List<String> CUSTOMERS = List.of("Ada", "Grace", "Linus", "Barbara", "Ken");
    private static final List<String> PRODUCTS = List.of("keyboard", "mouse", "screen", "cable", "lamp");

    public OrdersCommand() {
        super(Order.class);
    }

    @Override
    public String name() {
        return "demo:orders";
    }

    @Override
    public String description() {
        return "a queue group: a feeder of orders and consumers that ship them";
    }

    @Override
    protected Feeder<Order> feeder(WorkerContext context, FeederControl control) {
        long everyMillis = ((Number) context.params().getOrDefault("order_every_ms", 700)).longValue();
        ConcurrentLinkedQueue<Order> incoming = new ConcurrentLinkedQueue<>();
        ScheduledExecutorService shop = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "demo-shop");
            t.setDaemon(true);
            return t;
        });
        int[] number = {0};
        shop.scheduleAtFixedRate(() -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            incoming.add(new Order(++number[0], CUSTOMERS.get(random.nextInt(CUSTOMERS.size())),
                    List.of(PRODUCTS.get(random.nextInt(PRODUCTS.size())), PRODUCTS.get(random.nextInt(PRODUCTS.size())))));
            control.itemsAvailable(); // wake the feeder now rather than at its next empty_interval
        }, everyMillis, everyMillis, TimeUnit.MILLISECONDS);
        return new Feeder<>() {
            private int shipped;
            private int failed;

            @Override
            public boolean empty() {
                return incoming.isEmpty();
            }

            @Override
            public Order next() {
                return incoming.poll();
            }

            @Override
            public String idOf(Order order) {
                return "order-" + order.number();
            }

            @Override
            public void success(Order order) {
                shipped++;
                System.out.println("order " + order.number() + " shipped (" + shipped + " shipped, " + failed
                        + " failed so far)");
            }

            @Override
            public void error(Order order, String error) {
                failed++;
                context.logger().warn("order {} failed: {}", order.number(), error);
            }
        };
    }

    @Override
    protected void handleItem(ItemContext item, Order order) throws Exception {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        Thread.sleep(300 + random.nextInt(1200));
        if (random.nextInt(10) == 0) {
            throw new IllegalStateException("no address on file for " + order.customer());
        }
        System.out.println("shipped order " + order.number() + " to " + order.customer() + ": " + order.items());
    }
}
