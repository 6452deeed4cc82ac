package dev.gavel.store.workloads;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The workload database's one connection and its JDBC plumbing: queries with bound values, updates, transactions,
 * and the tenant filter every read applies ({@code IN (?, ...)}, values bound, never spliced). Callers serialise.
 */
final class WorkloadConnection {
    private final Connection connection;

    WorkloadConnection(Connection connection) {
        this.connection = connection;
    }

    PreparedStatement prepare(String sql) throws SQLException {
        return connection.prepareStatement(sql);
    }

    void close() throws SQLException {
        connection.close();
    }

    /** The tenants to bind, sorted; null for every tenant. */
    static List<String> tenantList(Optional<Set<String>> tenants) {
        return tenants.map(t -> t.stream().sorted().toList()).orElse(null);
    }

    /** {@code m.tenant IN (?, ...)} with one placeholder per tenant (values are bound, never spliced). */
    static String tenantClause(List<String> tenants) {
        if (tenants == null) {
            return "1 = 1";
        }
        if (tenants.isEmpty()) {
            return "1 = 0";
        }
        return "m.tenant IN (" + String.join(", ", Collections.nCopies(tenants.size(), "?")) + ")";
    }

    static int bindTenants(PreparedStatement ps, int from, List<String> tenants) throws SQLException {
        int i = from;
        if (tenants != null) {
            for (String t : tenants) {
                ps.setString(i++, t);
            }
        }
        return i;
    }

    @FunctionalInterface
    interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    @FunctionalInterface
    interface RowReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    @FunctionalInterface
    interface Work<T> {
        T run() throws SQLException;
    }

    <T> List<T> query(String sql, Binder binder, RowReader<T> reader) {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(reader.read(rs));
                }
                return out;
            }
        } catch (SQLException e) {
            throw new WorkloadStoreException("workload database: " + e.getMessage(), e);
        }
    }

    void update(String sql, Binder binder) {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            binder.bind(ps);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new WorkloadStoreException("workload database: " + e.getMessage(), e);
        }
    }

    <T> T inTransaction(Work<T> work) {
        try {
            connection.setAutoCommit(false);
            try {
                T out = work.run();
                connection.commit();
                return out;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new WorkloadStoreException("workload database: " + e.getMessage(), e);
        }
    }
}
