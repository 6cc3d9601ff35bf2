package org.distarch.worker;


/** The work of a worker, as {@link WorkerSession} runs it. */
@FunctionalInterface
interface WorkerBody {
    void run(WorkerContext context) throws Exception;
}
