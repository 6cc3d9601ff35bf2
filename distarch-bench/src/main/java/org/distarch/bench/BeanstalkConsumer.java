package org.distarch.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * One beanstalkd consumer process of the queue comparison, the peer of one {@code bench:queue} consumer:
 * reserves jobs, does nothing with them and deletes them. It holds at most {@code window} jobs: it sends that
 * many {@code reserve-with-timeout 0} at first and, for each job, its {@code delete} and the next reserve in
 * the same write (as a distarch consumer sends {@code done} and {@code ready} together), so a window of 1 costs
 * one round trip per job. (Pipelined reserves with a timeout above 0 measured far slower here: about 5,000
 * jobs/s at a window of 32 against 23,000 with 0, so the peer is measured at its best.) Connects, prints
 * {@code ready}, waits for a line on stdin, works until a reserve finds the tube empty (the other jobs are all
 * reserved, and none comes back: their time to run is a minute) and prints
 * {@code result deleted=N first=NANOS last=NANOS} (first job reserved, last delete answered;
 * {@link System#nanoTime()}, comparable between processes of one Linux machine).
 *
 * <p>Usage: {@code BeanstalkConsumer HOST PORT WINDOW}
 */
public final class BeanstalkConsumer {

    private BeanstalkConsumer() {}

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        int window = Integer.parseInt(args[2]);
        try (BeanstalkClient client = new BeanstalkClient(host, port)) {
            System.out.println("ready");
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            long first = 0;
            long last = 0;
            long deleted = 0;
            int outstanding = window;
            for (int i = 0; i < window; i++) {
                client.reserve(0);
            }
            client.flush();
            while (outstanding > 0) {
                BeanstalkClient.Reply r = client.next();
                switch (r.word()) {
                    case "RESERVED" -> {
                        if (first == 0) {
                            first = System.nanoTime();
                        }
                        client.delete(r.id());
                        client.reserve(0);
                    }
                    case "DELETED" -> {
                        deleted++;
                        last = System.nanoTime();
                    }
                    default -> outstanding--; // TIMED_OUT: the tube is empty (every job is reserved or gone)
                }
                if (!client.replyWaiting()) {
                    client.flush();
                }
            }
            System.out.println("result deleted=" + deleted + " first=" + first + " last=" + last);
        }
    }
}
