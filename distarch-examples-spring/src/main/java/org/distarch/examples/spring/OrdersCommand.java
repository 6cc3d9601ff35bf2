package org.distarch.examples.spring;

import java.util.ArrayDeque;
import java.util.Queue;
import org.distarch.queue.Feeder;
import org.distarch.queue.FeederControl;
import org.distarch.queue.ItemContext;
import org.distarch.queue.QueueCommand;
import org.distarch.worker.WorkerContext;
import org.springframework.stereotype.Component;

/**
 * A queue command as a bean: its feeder hands out {@code orders} orders (a param), its consumers ship each
 * one and record it in the journal through the injected service.
 */
@Component
public class OrdersCommand extends QueueCommand<OrdersCommand.Order> {

    /** One work item, written as JSON by the feeder and read back by a consumer. */
    public record Order(int number, String customer) {}

    private final Greetings greetings;

    public OrdersCommand(Greetings greetings) {
        super(Order.class);
        this.greetings = greetings;
    }

    @Override
    public String name() {
        return "app:orders";
    }

    @Override
    public String description() {
        return "a feeder of orders and the consumers that ship them";
    }

    @Override
    protected Feeder<Order> feeder(WorkerContext context, FeederControl control) {
        int count = Integer.parseInt(String.valueOf(context.params().getOrDefault("orders", "10")));
        Queue<Order> pending = new ArrayDeque<>();
        for (int i = 1; i <= count; i++) {
            pending.add(new Order(i, "customer " + i));
        }
        return new Feeder<>() {
            @Override
            public boolean empty() {
                return pending.isEmpty();
            }

            @Override
            public Order next() {
                return pending.poll();
            }

            @Override
            public String idOf(Order order) {
                return "order-" + order.number();
            }

            @Override
            public void success(Order order) {
                System.out.println("order " + order.number() + " shipped");
            }

            @Override
            public void error(Order order, String error) {
                context.logger().warn("order {} failed: {}", order.number(), error);
            }
        };
    }

    @Override
    protected void handleItem(ItemContext item, Order order) {
        greetings.record("shipped order-" + order.number() + " to " + order.customer());
        System.out.println("shipped order " + order.number());
    }
}
