package org.distarch.control.socket;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import org.distarch.config.ConfigException;
import org.distarch.config.DistarchConfig;
import org.distarch.control.ControlPlane;
import org.distarch.control.ControlResult;
import org.distarch.control.RollingOptions;
import org.distarch.control.Target;

/**
 * The control operations that are one call on the {@link ControlPlane} and one answer (all but {@code logs}
 * and {@code reopen-logs}, which {@link LogsOp} serves): which plane call a request means, and its answer.
 * Kept apart from {@link ControlServer}, whose job is the socket I/O.
 */
final class PlaneOps {

    private final ControlPlane plane;
    private final Function<String, DistarchConfig> configs;

    PlaneOps(ControlPlane plane, Function<String, DistarchConfig> configs) {
        this.plane = plane;
        this.configs = configs;
    }

    /** The plane's answer to {@code r}; never throws (a bad request is answered with a refusal). */
    CompletableFuture<ControlResponse> answer(ControlRequest r) {
        String op = r.op() == null ? "" : r.op();
        try {
            return switch (op) {
                case "status" -> plane.status().thenApply(s -> new ControlResponse(null, s));
                case "suspend" -> plane.suspend(r.group(), r.force(), r.persist()).thenApply(PlaneOps::result);
                case "resume" -> plane.resume(r.group()).thenApply(PlaneOps::result);
                case "stop" -> r.target() != null
                        ? CompletableFuture.completedFuture(refusal("stop stops the master and takes no target (stop "
                                + "processes with stop-processes); nothing was done"))
                        : plane.stop().thenApply(PlaneOps::result);
                case "reload" -> plane.reload(configs.apply(r.config()), r.dryRun()).thenApply(PlaneOps::result);
                case "start" -> plane.start(target(r)).thenApply(PlaneOps::result);
                case "stop-processes" -> plane.stop(target(r), r.force(), r.persist()).thenApply(PlaneOps::result);
                case "restart" -> plane.restart(target(r)).thenApply(PlaneOps::result);
                case "signal" -> plane.signal(target(r), r.signal() == null ? "" : r.signal())
                        .thenApply(PlaneOps::result);
                case "rolling-restart" -> plane.rollingRestart(r.group(), new RollingOptions(r.batch(),
                        r.healthyForMillis() == null ? null : Duration.ofMillis(r.healthyForMillis())))
                        .thenApply(PlaneOps::result);
                default -> CompletableFuture.completedFuture(refusal("unknown operation \"" + op
                        + "\" (status, suspend, resume, stop, reload, start, stop-processes, restart, "
                        + "rolling-restart, signal, logs, reopen-logs)"));
            };
        } catch (ConfigException e) {
            return CompletableFuture.completedFuture(result(new ControlResult(false,
                    "Reload refused, the running fleet is untouched:", e.getMessage().lines().toList())));
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(refusal(e.getMessage() + "; nothing was done"));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(failed(e));
        }
    }

    /** The request's target; one that names nothing means every process. */
    private static Target target(ControlRequest r) {
        return r.target() == null ? Target.all() : r.target();
    }

    static ControlResponse failed(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return refusal("failed: " + cause);
    }

    static ControlResponse result(ControlResult result) {
        return new ControlResponse(result, null);
    }

    static ControlResponse refusal(String message) {
        return result(ControlResult.refused(message));
    }
}
