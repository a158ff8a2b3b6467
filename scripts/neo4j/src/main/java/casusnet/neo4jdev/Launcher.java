package casusnet.neo4jdev;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;

/**
 * Runs a Neo4j Community database with the Bolt connector enabled, configured by
 * a neo4j.conf file, for casusnet's development and tests. It sets the password
 * of the "neo4j" user on first start, writes a "ready" file when Bolt answers
 * with that password, and shuts down cleanly on SIGTERM.
 *
 * Usage: Launcher HOME_DIR CONF_FILE PASSWORD READY_FILE
 */
public final class Launcher {
    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: Launcher HOME_DIR CONF_FILE PASSWORD READY_FILE");
            System.exit(2);
        }
        Path home = Path.of(args[0]);
        Path conf = Path.of(args[1]);
        String password = args[2];
        Path ready = Path.of(args[3]);
        Files.deleteIfExists(ready);

        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .loadPropertiesFromFile(conf)
                .build();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                Files.deleteIfExists(ready);
            } catch (Exception ignored) {
                // The ready file is advisory; shutting down matters more.
            }
            dbms.shutdown();
            stopped.countDown();
        }, "neo4jdev-shutdown"));

        setPassword(dbms, password);
        registerApocDates(dbms);
        Files.writeString(ready, Long.toString(ProcessHandle.current().pid()));
        System.out.println("neo4jdev: ready");
        stopped.await();
    }

    /**
     * Registers APOC's date functions, which an embedded Neo4j does not load
     * from a plugins directory. The Neo4j GraphQL Library calls
     * apoc.date.convertFormat to format DateTime values (make bench).
     */
    private static void registerApocDates(DatabaseManagementService dbms) throws Exception {
        var api = (org.neo4j.kernel.internal.GraphDatabaseAPI) dbms.database("system");
        var procedures = api.getDependencyResolver()
                .resolveDependency(org.neo4j.kernel.api.procedure.GlobalProcedures.class);
        procedures.registerFunction(apoc.date.Date.class);
    }

    /** Sets the neo4j user's password unless it is already the one asked for. */
    private static void setPassword(DatabaseManagementService dbms, String password) {
        try {
            dbms.database("system").executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $pw CHANGE NOT REQUIRED",
                    java.util.Map.of("pw", password));
        } catch (RuntimeException e) {
            String msg = String.valueOf(e.getMessage());
            if (!msg.contains("Old password and new password cannot be the same")) {
                throw e;
            }
        }
    }
}
