package org.distarch.queue.feeder;

import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.security.SecureRandom;
import org.distarch.queue.feeder.FeederConnection.Phase;
import org.distarch.queue.protocol.ProtocolException;
import org.distarch.queue.protocol.QueueCodec;
import org.distarch.queue.protocol.QueueFrame;
import org.slf4j.Logger;

/**
 * Admitting clients and checking their {@code auth}: until it passes, a client is a stranger, held to a small
 * frame ({@link FeederConnection#HANDSHAKE_MAX_FRAME}) and counted against {@link HandshakeAdmission}'s cap.
 */
final class FeederHandshake {

    private final FeederOptions options;
    private final Logger log;
    private final SecureRandom random = new SecureRandom();
    private final HandshakeAdmission admission = new HandshakeAdmission(HandshakeAdmission.MAX_UNAUTHENTICATED);
    private int inHandshake;
    private int nextConsumerNumber = 1;

    FeederHandshake(FeederOptions options, Logger log) {
        this.options = options;
        this.log = log;
    }

    /** A connection for the client, registered for reading, or null when it was closed at once (over the cap). */
    FeederConnection admit(FeederListeners.Accepted a, Selector selector, long now) {
        if (!admission.admit(inHandshake)) {
            FeederServer.closeQuietly(a.channel());
            return null;
        }
        FeederConnection c = new FeederConnection(a.channel(), a.peer(), QueueCodec.newNonce(random), now,
                options.maxFrame(), options.maxOutbound());
        try {
            c.key = a.channel().register(selector, SelectionKey.OP_READ, c);
        } catch (IOException e) {
            log.warn("Setting up a consumer connection failed: {}", e.toString());
            FeederServer.closeQuietly(a.channel());
            return null;
        }
        inHandshake++;
        return c;
    }

    /** The frame that opens every connection. */
    QueueFrame.Hello hello(FeederConnection c) {
        return new QueueFrame.Hello(QueueCodec.PROTOCOL_VERSION, c.nonce, options.secret() != null, true);
    }

    /** Checks the client's {@code auth}: null and the client is welcomed (numbered), or why it is refused. */
    String check(FeederConnection c, QueueFrame.Auth auth) {
        try {
            QueueCodec.requireVersion(auth.protocol());
        } catch (ProtocolException e) {
            return e.reason();
        }
        if (!QueueCodec.verify(options.secret(), c.nonce, auth.proof())) {
            return "authentication failed";
        }
        inHandshake--;
        String name = auth.consumer().length() > 100 ? auth.consumer().substring(0, 100) + "..." : auth.consumer();
        c.welcomed(nextConsumerNumber++, auth.consumerId(), name);
        return null;
    }

    /** A connection ends: a stranger frees its place in the handshake. Call before closing it. */
    void ended(FeederConnection c) {
        if (c.phase == Phase.HANDSHAKE) {
            inHandshake--;
        }
    }

    /** What to warn about clients closed at once, at most once a minute; null when nothing. */
    String warningDue(long now) {
        return admission.warningDue(now);
    }
}
