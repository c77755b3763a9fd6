package ai.peregrine.gateway;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Optional;

/**
 * Asynchronous jobs in an embedded H2 file database, so they survive a restart. Opening the store marks the jobs
 * a previous process left queued or running as failed: they were lost with it, and are reported, not hidden.
 */
public final class JobStore implements AutoCloseable {
    public static final String INTERRUPTED = "interrupted: the gateway restarted before the job finished";

    public record Job(String id, String keyId, String status, Integer resultStatus, String resultBody, String error,
                      Instant created, Instant updated) {}

    private final Connection db;

    public JobStore(Path file) {
        try {
            db = DriverManager.getConnection("jdbc:h2:file:" + file.toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE", "sa", "");
            try (Statement s = db.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS jobs (id VARCHAR(64) PRIMARY KEY, key_id VARCHAR(64), "
                        + "status VARCHAR(16) NOT NULL, request CLOB NOT NULL, result_status INT, result_body CLOB, "
                        + "error VARCHAR(1000), created TIMESTAMP WITH TIME ZONE NOT NULL, "
                        + "updated TIMESTAMP WITH TIME ZONE NOT NULL)");
                s.executeUpdate("UPDATE jobs SET status = 'failed', error = '" + INTERRUPTED + "', updated = CURRENT_TIMESTAMP "
                        + "WHERE status IN ('queued', 'running')");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open the jobs database " + file + ": " + e.getMessage(), e);
        }
    }

    public synchronized void create(String id, String keyId, String request) {
        update("INSERT INTO jobs (id, key_id, status, request, created, updated) VALUES (?, ?, 'queued', ?, ?, ?)",
                id, keyId, request, Instant.now(), Instant.now());
    }

    public synchronized void running(String id) {
        update("UPDATE jobs SET status = 'running', updated = ? WHERE id = ? AND status = 'queued'", Instant.now(), id);
    }

    public synchronized void finished(String id, int resultStatus, String body) {
        String status = resultStatus < 400 ? "succeeded" : "failed";
        update("UPDATE jobs SET status = ?, result_status = ?, result_body = ?, updated = ? WHERE id = ?",
                status, resultStatus, body, Instant.now(), id);
    }

    public synchronized void failed(String id, String error) {
        update("UPDATE jobs SET status = 'failed', error = ?, updated = ? WHERE id = ?", error, Instant.now(), id);
    }

    public synchronized Optional<Job> find(String id) {
        try (PreparedStatement p = db.prepareStatement("SELECT id, key_id, status, result_status, result_body, error, "
                + "created, updated FROM jobs WHERE id = ?")) {
            p.setString(1, id);
            try (ResultSet r = p.executeQuery()) {
                if (!r.next()) return Optional.empty();
                int rs = r.getInt(4);
                Integer resultStatus = r.wasNull() ? null : rs;
                return Optional.of(new Job(r.getString(1), r.getString(2), r.getString(3), resultStatus, r.getString(5),
                        r.getString(6), r.getObject(7, java.time.OffsetDateTime.class).toInstant(),
                        r.getObject(8, java.time.OffsetDateTime.class).toInstant()));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void update(String sql, Object... args) {
        try (PreparedStatement p = db.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                Object a = args[i];
                if (a instanceof Instant t) p.setObject(i + 1, t.atOffset(java.time.ZoneOffset.UTC));
                else p.setObject(i + 1, a);
            }
            p.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            db.close();
        } catch (SQLException ignored) {
            // closing a broken connection: nothing more to do
        }
    }
}
