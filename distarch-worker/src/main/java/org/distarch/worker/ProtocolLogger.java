package org.distarch.worker;

import java.util.Map;
import org.distarch.worker.protocol.LevelLogger;
import org.distarch.worker.protocol.LogLevel;
import org.distarch.worker.protocol.WorkerLineCodec;

/** A worker's SLF4J logger: its lines reach the master with their level, through {@link WorkerLineCodec}. */
final class ProtocolLogger extends LevelLogger {

    private static final long serialVersionUID = 1L;

    private final transient LineSyncOutput output;

    public ProtocolLogger(String name, LineSyncOutput output) {
        super(name);
        this.output = output;
    }

    @Override
    protected void emit(LogLevel level, String message, Map<String, String> context) {
        output.writeLine(WorkerLineCodec.log(level, message, context));
    }
}
