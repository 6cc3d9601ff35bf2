package org.distarch.worker.internal;

import org.distarch.worker.WorkerContext;

/** The work of a worker, as {@link WorkerSession} runs it. */
@FunctionalInterface
public interface WorkerBody {
    void run(WorkerContext context) throws Exception;
}
