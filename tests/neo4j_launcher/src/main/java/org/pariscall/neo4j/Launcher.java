package org.pariscall.neo4j;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;

/**
 * Runs Neo4j Community (embedded, unmodified) with its Bolt connector on loopback, for the
 * test suite and the benchmarks.
 *
 * <p>Usage: {@code Launcher HOME PORT [PAGE_CACHE] [PLUGINS]}. It prints
 * {@code READY bolt://127.0.0.1:PORT} once the database answers, and stops cleanly when its
 * standard input closes (its parent went away, even by kill -9) or on SIGTERM, so it never
 * outlives the process that started it.
 */
public final class Launcher {
    private Launcher() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: Launcher HOME PORT [PAGE_CACHE] [PLUGINS]");
            System.exit(2);
        }
        Path home = Path.of(args[0]);
        int port = Integer.parseInt(args[1]);
        String pageCache = args.length > 2 ? args[2] : "128m";
        Files.createDirectories(home);

        DatabaseManagementServiceBuilder builder = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(BoltConnector.advertised_address, new SocketAddress("127.0.0.1", port))
                .setConfig(HttpConnector.enabled, false)
                .setConfig(HttpsConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, false)
                .setConfig(GraphDatabaseSettings.pagecache_memory, parseBytes(pageCache))
                .setConfig(GraphDatabaseSettings.shutdown_transaction_end_timeout, Duration.ofSeconds(5))
                .setConfig(GraphDatabaseSettings.check_point_interval_time, Duration.ofMinutes(60));
        if (args.length > 3) {
            // APOC for the Neo4j GraphQL Library benchmark: its jar in this folder.
            builder.setConfig(GraphDatabaseSettings.plugin_dir, Path.of(args[3]).toAbsolutePath())
                    .setConfig(GraphDatabaseSettings.procedure_unrestricted, java.util.List.of("apoc.*"));
        }
        DatabaseManagementService service = builder.build();
        CountDownLatch stopped = new CountDownLatch(1);
        Thread stopper = new Thread(() -> {
            try {
                service.shutdown();
            } finally {
                stopped.countDown();
            }
        }, "neo4j-launcher-stop");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (stopped.getCount() > 0) {
                stopper.run();
            }
        }));
        // Wait until the default database answers before saying so.
        service.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME).executeTransactionally("RETURN 1");
        System.out.println("READY bolt://127.0.0.1:" + port);
        System.out.flush();
        InputStream in = System.in;
        try {
            while (in.read() != -1) {
                // anything written to stdin is ignored; its end means stop
            }
        } catch (IOException ignored) {
            // the parent's end of the pipe went away: stop
        }
        stopper.run();
        stopped.await();
        System.exit(0);
    }

    private static long parseBytes(String value) {
        String v = value.trim().toLowerCase();
        long unit = 1;
        if (v.endsWith("k")) { unit = 1L << 10; v = v.substring(0, v.length() - 1); }
        else if (v.endsWith("m")) { unit = 1L << 20; v = v.substring(0, v.length() - 1); }
        else if (v.endsWith("g")) { unit = 1L << 30; v = v.substring(0, v.length() - 1); }
        return Long.parseLong(v) * unit;
    }
}
