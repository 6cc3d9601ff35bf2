package org.distarch.queue.consumer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.distarch.queue.protocol.ProtocolException;
import org.distarch.queue.protocol.QueueCodec;
import org.distarch.queue.protocol.QueueFrame;
import org.slf4j.Logger;

/**
 * A consumer: connects to its feeder (retrying with backoff while it is not up, reconnecting when it goes
 * away), asks for items as far as its prefetch window allows, runs the handler on each and answers it.
 *
 * <p>Each connection is a {@link ConsumerSession}: the caller's thread reads the socket and runs the handler,
 * with no hand-over per item; a keeper thread takes the socket over only while a handler runs long, so that
 * pings are answered at once even then. Neither polls.
 */
public final class ConsumerClient {

    private static final long BACKOFF_START_MILLIS = 100;
    private static final long BACKOFF_MAX_MILLIS = 2000;
    /** A feeder that refused us (wrong secret, version) will refuse again: knock less often. */
    private static final long REFUSED_BACKOFF_MILLIS = 10_000;

    private final ConsumerOptions options;
    private final Logger log;
    private final ConsumerReport report;
    private final AtomicBoolean stopAsked = new AtomicBoolean();
    private final CountDownLatch stopLatch = new CountDownLatch(1);
    private volatile ConsumerSession active;

    /** The feeder said no (an {@code error} frame during the handshake), or we refuse it. */
    private static final class Refused extends ProtocolException {
        private static final long serialVersionUID = 1L;

        Refused(String reason) {
            super(reason);
        }
    }

    public ConsumerClient(ConsumerOptions options, Logger log, ConsumerReport report) {
        this.options = options;
        this.log = log;
        this.report = report;
    }

    /** Asks the consumer to finish the items it holds and return from {@link #run}. Thread-safe. */
    public void stop() {
        stopAsked.set(true);
        stopLatch.countDown();
        ConsumerSession session = active;
        if (session != null) {
            session.stopAsked();
        }
    }

    /** Serves feeders until {@link #stop()}: connects, handles items, reconnects. */
    public void run(ItemHandler handler) throws InterruptedException {
        long backoff = BACKOFF_START_MILLIS;
        boolean waitingLogged = false;
        while (!stopAsked.get()) {
            FeederLink link;
            try {
                link = connect();
            } catch (IOException | ProtocolException e) {
                String why = e.getMessage() == null ? e.toString() : e.getMessage();
                if (!waitingLogged) {
                    log.info("Waiting for the feeder at {}: {}", target(), why);
                    waitingLogged = true;
                } else {
                    log.debug("Feeder at {} still unreachable: {}", target(), why);
                }
                boolean refused = e instanceof Refused;
                pause(refused ? REFUSED_BACKOFF_MILLIS : backoff);
                backoff = Math.min(BACKOFF_MAX_MILLIS, backoff * 2);
                continue;
            }
            waitingLogged = false;
            backoff = BACKOFF_START_MILLIS;
            ConsumerSession session = new ConsumerSession(options, log, report, stopAsked, link, handler);
            active = session;
            String ended;
            try {
                ended = session.serve();
            } finally {
                active = null;
            }
            if (!stopAsked.get()) {
                log.info("Connection to the feeder ended ({}): reconnecting", ended);
                pause(BACKOFF_START_MILLIS);
            }
        }
    }

    private String target() {
        return options.host() + ":" + options.port();
    }

    /** Waits before the next attempt, waking early for a stop; tells the master we are alive meanwhile. */
    private void pause(long millis) throws InterruptedException {
        report.idle();
        long jittered = millis / 2 + ThreadLocalRandom.current().nextLong(millis / 2 + 1);
        stopLatch.await(jittered, TimeUnit.MILLISECONDS);
    }

    // ---- one connection --------------------------------------------------------------------------------

    private FeederLink connect() throws IOException, ProtocolException {
        FeederLink link = open();
        try {
            handshake(link);
            return link;
        } catch (IOException | ProtocolException | RuntimeException e) {
            link.close();
            throw e;
        }
    }

    /** The UNIX socket when the feeder is on this machine and offers one, else TCP. */
    private FeederLink open() throws IOException {
        if (options.socketPath() != null && Files.exists(Path.of(options.socketPath()))) {
            try {
                SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
                try {
                    channel.connect(UnixDomainSocketAddress.of(options.socketPath()));
                    return new FeederLink(new UnixDuplex(channel, options.networkTimeout().toMillis()),
                            "unix:" + options.socketPath(), options.maxFrame());
                } catch (IOException e) {
                    channel.close();
                    throw e;
                }
            } catch (IOException e) {
                log.debug("UNIX socket {} refused ({}): trying TCP", options.socketPath(), e.toString());
            }
        }
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            int timeout = (int) Math.min(Integer.MAX_VALUE, options.networkTimeout().toMillis());
            socket.connect(new InetSocketAddress(options.host(), options.port()), timeout);
            socket.setSoTimeout(timeout);
            return new FeederLink(Duplex.of(socket), target(), options.maxFrame());
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    private void handshake(FeederLink link) throws IOException, ProtocolException {
        QueueFrame first = link.next();
        if (first instanceof QueueFrame.Error e) {
            throw new Refused("the feeder refused us: " + e.reason());
        }
        if (!(first instanceof QueueFrame.Hello hello)) {
            throw new ProtocolException("expected hello from the feeder, got " + first.type());
        }
        try {
            QueueCodec.requireVersion(hello.protocol());
        } catch (ProtocolException e) {
            link.send(new QueueFrame.Error(e.reason()));
            throw new Refused(e.reason());
        }
        if (options.secret() != null && !hello.authRequired()) {
            String why = "this consumer has a secret but the feeder asks for none: not our feeder, or misconfigured";
            link.send(new QueueFrame.Error(why));
            throw new Refused(why);
        }
        String proof = options.secret() == null ? "" : QueueCodec.proof(options.secret(), hello.nonce());
        link.send(new QueueFrame.Auth(QueueCodec.PROTOCOL_VERSION, options.name(), proof, options.globalId()));
        QueueFrame answer = link.next();
        if (answer instanceof QueueFrame.Error e) {
            throw new Refused("the feeder refused us: " + e.reason());
        }
        if (!(answer instanceof QueueFrame.Welcome welcome)) {
            throw new ProtocolException("expected welcome from the feeder, got " + answer.type());
        }
        link.canLeave = hello.leave();
        log.info("Connected to {} as consumer {}", link.where, welcome.consumerNumber());
    }

    /** For tests: how long a consumer waits at most between two connection attempts. */
    public static Duration maxBackoff() {
        return Duration.ofMillis(BACKOFF_MAX_MILLIS);
    }
}
