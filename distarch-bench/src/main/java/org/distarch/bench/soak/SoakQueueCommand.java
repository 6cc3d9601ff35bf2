package org.distarch.bench.soak;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import org.distarch.queue.Feeder;
import org.distarch.queue.FeederControl;
import org.distarch.queue.ItemContext;
import org.distarch.queue.QueueCommand;
import org.distarch.worker.WorkerContext;

/**
 * {@code soak:queue}: the soak's queue group. The feeder numbers its items {@code LIFE-N}, where LIFE names this
 * feeder process (its pid and start time), and never runs dry; the consumers take {@code params.handle_ms} (random,
 * up to that) per item. Both keep a ledger in {@code params.ledger}: the feeder {@code feeder-LIFE.log} with
 * {@code issued ID}, {@code ok ID} and {@code error ID MESSAGE} lines, each consumer {@code consumer-PID-MS.log}
 * with {@code handled ID ATTEMPT} lines. Each line is one unbuffered {@code write}, so it survives a SIGKILL of its
 * writer; {@code QueueLedger} reads them after the run.
 */
public final class SoakQueueCommand extends QueueCommand<String> {

    public SoakQueueCommand() {
        super(String.class);
    }

    @Override
    public String name() {
        return "soak:queue";
    }

    @Override
    public String description() {
        return "The soak's queue group (bin/soak): numbered items, ledgers of what was issued, handled, decided";
    }

    @Override
    protected Feeder<String> feeder(WorkerContext context, FeederControl control) {
        String life = ProcessHandle.current().pid() + "-" + System.currentTimeMillis();
        Ledger ledger = new Ledger(ledgerDir(context).resolve("feeder-" + life + ".log"));
        return new Feeder<>() {
            private long next = 1;

            @Override
            public boolean empty() {
                return false;
            }

            @Override
            public String next() {
                String id = life + "-" + next++;
                ledger.write("issued " + id);
                return id;
            }

            @Override
            public String idOf(String item) {
                return item;
            }

            @Override
            public void success(String item) {
                ledger.write("ok " + item);
            }

            @Override
            public void error(String item, String error) {
                ledger.write("error " + item + " " + error.replace('\n', ' '));
            }
        };
    }

    @Override
    protected void handleItem(ItemContext item, String value) throws Exception {
        Ledger ledger = consumerLedger(item.worker());
        long most = ((Number) item.worker().params().getOrDefault("handle_ms", 100)).longValue();
        Thread.sleep(ThreadLocalRandom.current().nextLong(most + 1));
        ledger.write("handled " + value + " " + item.attempt());
    }

    private Ledger consumerLedger;

    private synchronized Ledger consumerLedger(WorkerContext context) {
        if (consumerLedger == null) {
            consumerLedger = new Ledger(ledgerDir(context).resolve(
                    "consumer-" + ProcessHandle.current().pid() + "-" + System.currentTimeMillis() + ".log"));
        }
        return consumerLedger;
    }

    private static Path ledgerDir(WorkerContext context) {
        Object dir = context.params().get("ledger");
        if (dir == null) {
            throw new IllegalStateException("soak:queue needs params.ledger (a directory)");
        }
        return Path.of(dir.toString());
    }

    /** One ledger file, appended to with one unbuffered write per line. */
    private static final class Ledger {
        private final FileOutputStream out;

        Ledger(Path file) {
            try {
                out = new FileOutputStream(file.toFile(), true);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        synchronized void write(String line) {
            try {
                out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
