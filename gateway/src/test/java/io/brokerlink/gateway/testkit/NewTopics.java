package io.brokerlink.gateway.testkit;

import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;

/**
 * Creates topics and waits until the brokers the Admin asks know them with a leader for every partition.
 * createTopics returns once the controller has them; a broker's metadata cache follows a moment later, and on a
 * loaded machine a listTopics or an acks=0 send right after can still miss the topic (seen in gateway verify runs).
 */
public final class NewTopics {

    private NewTopics() {
    }

    public static void createAndAwait(Admin admin, NewTopic... topics) throws Exception {
        admin.createTopics(List.of(topics)).all().get(30, TimeUnit.SECONDS);
        awaitVisible(admin, java.util.Arrays.stream(topics).map(NewTopic::name).toArray(String[]::new));
    }

    /**
     * Waits (30 s at most) until listTopics has every name and describeTopics shows a leader for each partition,
     * three checks in a row: each check may go to another broker (the Admin picks the least loaded one), and one
     * success said nothing about the others (a describeTopics right after one failed in a CI run).
     */
    public static void awaitVisible(Admin admin, String... names) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        int inARow = 0;
        while (true) {
            Set<String> listed = admin.listTopics().names().get(20, TimeUnit.SECONDS);
            inARow = listed.containsAll(List.of(names)) && led(admin, names) ? inARow + 1 : 0;
            if (inARow == 3) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("topics " + List.of(names) + " not visible with leaders within 30 s; listed: "
                        + listed);
            }
            Thread.sleep(100);
        }
    }

    private static boolean led(Admin admin, String... names) throws Exception {
        try {
            for (TopicDescription d : admin.describeTopics(List.of(names)).allTopicNames().get(20, TimeUnit.SECONDS)
                    .values()) {
                for (TopicPartitionInfo p : d.partitions()) {
                    if (p.leader() == null || p.leader().isEmpty()) {
                        return false;
                    }
                }
            }
            return true;
        } catch (java.util.concurrent.ExecutionException e) {
            return false; // UnknownTopicOrPartition from a broker that has not caught up yet
        }
    }
}
