package org.distarch.admin.api;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waiting for the control plane's answer, as the control socket does: at most 20 s, then a 504. */
final class Control {

    static final long TIMEOUT_SECONDS = 20;

    private Control() {}

    static <T> T await(CompletableFuture<T> answer) throws InterruptedException {
        try {
            return answer.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new ApiException(504, "the master did not answer within " + TIMEOUT_SECONDS
                    + " s (it may be busy or stuck); an action sent may still take effect");
        } catch (ExecutionException e) {
            throw new ApiException(503, "the master cannot answer: " + e.getCause().getMessage());
        }
    }
}
