package dev.gavel.store.log;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

/**
 * The evaluation log: an SQLite database in WAL mode with one writer thread. {@link #append} puts a row on
 * a bounded queue; the writer takes whatever is queued (up to {@code maxBatch} rows) and commits it as one
 * transaction, so batches grow with the load and a row waits at most for the transaction in progress.
 * When the queue is full, {@code append} waits (bounded, counted) instead of dropping the row. Readers use
 * their own connections: in WAL mode they never block the writer. Retention deletes old rows in small
 * chunks between batches. {@link #close()} writes every queued row before returning.
 */
public final class EvaluationLog implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EvaluationLog.class);
  private static final int READERS = 4;
  private static final Duration IDLE_POLL = Duration.ofMillis(20);

  private static final String[] SCHEMA = {
      """
      CREATE TABLE IF NOT EXISTS evaluation (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        time INTEGER NOT NULL,
        scope TEXT NOT NULL,
        tenant TEXT NOT NULL,
        resource_type TEXT,
        action TEXT,
        decision TEXT NOT NULL,
        commit_id TEXT NOT NULL,
        duration_micros INTEGER NOT NULL,
        request TEXT NOT NULL)""",
      // Every index ends in seq implicitly (the rowid), so each one also orders by (…, time, seq).
      "CREATE INDEX IF NOT EXISTS evaluation_time ON evaluation(time)",
      "CREATE INDEX IF NOT EXISTS evaluation_scope_time ON evaluation(scope, time)",
      "CREATE INDEX IF NOT EXISTS evaluation_tenant_time ON evaluation(tenant, time)",
      "CREATE INDEX IF NOT EXISTS evaluation_decision_time ON evaluation(decision, time)",
      "CREATE INDEX IF NOT EXISTS evaluation_commit_time ON evaluation(commit_id, time)",
      """
      CREATE TABLE IF NOT EXISTS evaluation_match (
        evaluation_seq INTEGER NOT NULL,
        ordinal INTEGER NOT NULL,
        policy TEXT NOT NULL,
        defined_at TEXT NOT NULL,
        enforcement TEXT NOT NULL,
        effect TEXT NOT NULL,
        rule TEXT NOT NULL,
        message TEXT,
        time INTEGER NOT NULL,
        first_of_policy INTEGER NOT NULL,
        PRIMARY KEY (evaluation_seq, ordinal)) WITHOUT ROWID""",
      // Partial indexes over the first match of each policy in an evaluation: one entry per evaluation,
      // so per-policy pages and totals count evaluations, not rules, from the index alone.
      "CREATE INDEX IF NOT EXISTS match_policy_time ON evaluation_match(policy, time) WHERE first_of_policy = 1",
      "CREATE INDEX IF NOT EXISTS match_definition_time ON evaluation_match(policy, defined_at, time)"
          + " WHERE first_of_policy = 1",
      // Every policy an evaluation applied (matched or passed), so a policy's history includes its passes.
      """
      CREATE TABLE IF NOT EXISTS evaluation_applied (
        policy TEXT NOT NULL,
        defined_at TEXT NOT NULL,
        time INTEGER NOT NULL,
        evaluation_seq INTEGER NOT NULL,
        PRIMARY KEY (policy, defined_at, time, evaluation_seq)) WITHOUT ROWID""",
      "CREATE INDEX IF NOT EXISTS applied_seq ON evaluation_applied(evaluation_seq)",
      """
      CREATE TABLE IF NOT EXISTS policy_usage (
        policy TEXT NOT NULL,
        defined_at TEXT NOT NULL,
        hour INTEGER NOT NULL,
        evaluations INTEGER NOT NULL,
        denies INTEGER NOT NULL,
        warns INTEGER NOT NULL,
        PRIMARY KEY (policy, defined_at, hour)) WITHOUT ROWID""",
      """
      CREATE TABLE IF NOT EXISTS circuit_breaker (
        policy TEXT NOT NULL,
        defined_at TEXT NOT NULL,
        state TEXT NOT NULL,
        opened_at INTEGER,
        reason TEXT,
        changed_at INTEGER NOT NULL,
        PRIMARY KEY (policy, defined_at)) WITHOUT ROWID"""};

  private static final String COLUMNS =
      "e.seq, e.id, e.time, e.scope, e.tenant, e.resource_type, e.action, e.decision, e.commit_id, "
          + "e.duration_micros, e.request";

  private final LogSettings settings;
  private final BatchListener listener;
  private final BlockingQueue<Entry> queue;
  private final BlockingQueue<Connection> readers = new ArrayBlockingQueue<>(READERS);
  private final AtomicLong readersOpened = new AtomicLong();
  private final ReentrantReadWriteLock closing = new ReentrantReadWriteLock();
  private final AtomicLong backPressureWaits = new AtomicLong();
  private final AtomicLong rowsWritten = new AtomicLong();
  private final AtomicLong batches = new AtomicLong();
  private final AtomicLong rowsDeleted = new AtomicLong();
  private final Connection writer;
  private PreparedStatement appliedInsert; // writer thread only
  private final Thread writerThread;
  private final List<CompletableFuture<Long>> purgeWaiters = new ArrayList<>(); // guarded by itself
  private volatile boolean closed;
  private final boolean readOnly;
  private volatile boolean stopping;
  private long nextSeq;
  // writer thread only
  private boolean retentionActive;
  private long retentionDeletedInPass;
  private long nextRetentionCheck;

  private sealed interface Entry permits Row, Task {}

  private record Row(EvaluationRecord record, CompletableFuture<Void> committed) implements Entry {}

  private record Task(SqlWork work, CompletableFuture<Void> done) implements Entry {}

  @FunctionalInterface
  private interface SqlWork {
    void run(Connection c) throws SQLException;
  }

  private EvaluationLog(LogSettings settings, BatchListener listener) throws SQLException {
    this.settings = settings;
    this.listener = listener;
    this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
    this.readOnly = false;
    this.writer = open(settings, false);
    try (Statement s = writer.createStatement()) {
      for (String ddl : SCHEMA) {
        s.execute(ddl);
      }
      try (ResultSet rs = s.executeQuery("SELECT coalesce(max(seq), 0) FROM evaluation")) {
        nextSeq = rs.getLong(1) + 1;
      }
    }
    writer.setAutoCommit(false);
    this.nextRetentionCheck = System.nanoTime();
    this.writerThread = new Thread(this::runWriter, "gavel-evaluation-log");
    // Daemon: an exit without close() must not hang on this thread; close() (shutdown hooks) flushes.
    writerThread.setDaemon(true);
  }

  /** A read-only log: no writer, no schema changes; {@link #append} and the other writes refuse. */
  private EvaluationLog(LogSettings settings) {
    this.settings = settings;
    this.listener = BatchListener.NONE;
    this.queue = new ArrayBlockingQueue<>(1);
    this.writer = null;
    this.writerThread = null;
    this.closed = false;
    this.readOnly = true;
  }

  /**
   * Opens an existing log file for reading only, e.g. one a running server is writing (WAL: reading never
   * blocks its writer) or a copy of one. Used to replay logged requests.
   *
   * @throws LogUnavailableException when the file does not exist or is not a Gavel evaluation log
   */
  public static EvaluationLog openReadOnly(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new LogUnavailableException("no evaluation log at " + file + " (not a file)");
    }
    EvaluationLog log = new EvaluationLog(LogSettings.defaults(file));
    try {
      long tables = log.read(c -> {
        try (Statement st = c.createStatement();
            ResultSet rs = st.executeQuery("SELECT count(*) FROM sqlite_master WHERE type = 'table'"
                + " AND name IN ('evaluation', 'evaluation_match')")) {
          return rs.getLong(1);
        }
      });
      if (tables != 2) {
        throw new LogUnavailableException(file + " is an SQLite database but not a Gavel evaluation log");
      }
    } catch (LogUnavailableException e) {
      log.close();
      if (e.getMessage().contains("not a Gavel evaluation log")) {
        throw e;
      }
      throw new LogUnavailableException(file + " is not a Gavel evaluation log (" + e.getMessage() + ")", e);
    }
    return log;
  }

  /** Opens (creating when needed) the log at {@code settings.file()} and starts its writer. */
  public static EvaluationLog open(LogSettings settings) {
    return open(settings, BatchListener.NONE);
  }

  public static EvaluationLog open(LogSettings settings, BatchListener listener) {
    try {
      Path parent = settings.file().toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      EvaluationLog log = new EvaluationLog(settings, listener);
      log.writerThread.start();
      return log;
    } catch (SQLException | java.io.IOException e) {
      throw new LogUnavailableException("cannot open the evaluation log " + settings.file() + ": " + e.getMessage(), e);
    }
  }

  private static Connection open(LogSettings settings, boolean readOnly) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    if (!readOnly) {
      config.setJournalMode(SQLiteConfig.JournalMode.WAL); // persistent in the file: readers need not set it
    }
    config.setSynchronous(settings.durability() == Durability.SYNC
        ? SQLiteConfig.SynchronousMode.FULL : SQLiteConfig.SynchronousMode.NORMAL);
    config.setBusyTimeout(10_000);
    config.setTempStore(SQLiteConfig.TempStore.MEMORY);
    if (readOnly) {
      config.setReadOnly(true);
    }
    return DriverManager.getConnection("jdbc:sqlite:" + settings.file().toAbsolutePath(), config.toProperties());
  }

  public LogSettings settings() {
    return settings;
  }

  // ---- writing

  /**
   * Queues one evaluation. Waits for queue space at most {@code appendWait} (each wait is counted); with
   * {@link Durability#SYNC} also waits until the row is committed.
   *
   * @throws LogUnavailableException when the log is closed or stayed full for the whole wait: the caller
   *     must not answer the evaluation as if it were logged
   */
  public void append(EvaluationRecord record) {
    CompletableFuture<Void> committed = settings.durability() == Durability.SYNC ? new CompletableFuture<>() : null;
    enqueue(new Row(record, committed));
    if (committed != null) {
      await(committed, "the row was not committed");
    }
  }

  private void enqueue(Entry e) {
    // The read lock keeps close() from completing between the closed check and the offer, so no row is
    // accepted after the writer's final drain.
    if (readOnly) {
      throw new IllegalStateException("the evaluation log was opened read-only");
    }
    closing.readLock().lock();
    try {
      if (closed) {
        throw new LogUnavailableException("the evaluation log is closed");
      }
      if (queue.offer(e)) {
        return;
      }
      backPressureWaits.incrementAndGet();
      if (!queue.offer(e, settings.appendWait().toNanos(), TimeUnit.NANOSECONDS)) {
        throw new LogUnavailableException("the evaluation log's queue stayed full for " + settings.appendWait()
            + "; the disk is slower than the load");
      }
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      throw new LogUnavailableException("interrupted while waiting for the evaluation log");
    } finally {
      closing.readLock().unlock();
    }
  }

  private void await(CompletableFuture<?> f, String what) {
    try {
      f.get(Math.max(30_000, settings.appendWait().toMillis() * 4), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LogUnavailableException(what + ": interrupted");
    } catch (ExecutionException | TimeoutException e) {
      throw new LogUnavailableException(what + ": " + e, e);
    }
  }

  private void runWriter() {
    List<Entry> batch = new ArrayList<>(settings.maxBatch());
    while (true) {
      Entry first;
      try {
        first = queue.poll(IDLE_POLL.toNanos(), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        first = null; // close() interrupts nothing; keep draining
      }
      if (first != null) {
        batch.add(first);
        queue.drainTo(batch, settings.maxBatch() - 1);
        write(batch);
        batch.clear();
      } else if (stopping && queue.isEmpty()) {
        break;
      }
      if (!stopping) {
        retentionStep();
      }
    }
    failPurgeWaiters();
  }

  private void write(List<Entry> batch) {
    long start = System.nanoTime();
    if (!settings.writerDelay().isZero()) {
      try {
        Thread.sleep(settings.writerDelay().toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    int rows = 0;
    for (int attempt = 1; ; attempt++) {
      long seqBefore = nextSeq;
      try {
        rows = writeBatch(batch);
        writer.commit();
        break;
      } catch (SQLException | RuntimeException e) {
        nextSeq = seqBefore;
        rollbackQuietly();
        if (stopping && attempt >= 3) {
          LOG.error("evaluation log: giving up on a batch of {} entries at shutdown: {}", batch.size(), e.toString());
          for (Entry x : batch) {
            CompletableFuture<Void> f = completion(x);
            if (f != null) {
              f.completeExceptionally(e);
            }
          }
          return;
        }
        LOG.warn("evaluation log: batch of {} entries failed (attempt {}), retrying: {}", batch.size(), attempt, e.toString());
        sleepQuietly(Math.min(1000, 50L * attempt));
      }
    }
    rowsWritten.addAndGet(rows);
    batches.incrementAndGet();
    for (Entry e : batch) {
      CompletableFuture<Void> f = completion(e);
      if (f != null) {
        f.complete(null);
      }
    }
    listener.committed(rows, System.nanoTime() - start);
  }

  private static CompletableFuture<Void> completion(Entry e) {
    if (e instanceof Row r) {
      return r.committed();
    }
    return ((Task) e).done();
  }

  private int writeBatch(List<Entry> batch) throws SQLException {
    int rows = 0;
    Map<UsageKey, long[]> usage = new HashMap<>();
    try (PreparedStatement ev = writer.prepareStatement(
            "INSERT INTO evaluation(seq, id, time, scope, tenant, resource_type, action, decision, commit_id,"
                + " duration_micros, request) VALUES (?,?,?,?,?,?,?,?,?,?,?)");
        PreparedStatement m = writer.prepareStatement(
            "INSERT INTO evaluation_match(evaluation_seq, ordinal, policy, defined_at, enforcement, effect, rule,"
                + " message, time, first_of_policy) VALUES (?,?,?,?,?,?,?,?,?,?)")) {
      for (Entry e : batch) {
        if (e instanceof Task t) {
          flush(ev, m);
          t.work().run(writer);
          continue;
        }
        EvaluationRecord r = ((Row) e).record();
        long seq = nextSeq++;
        long micros = micros(r.time());
        ev.setLong(1, seq);
        ev.setString(2, r.id());
        ev.setLong(3, micros);
        ev.setString(4, r.scope());
        ev.setString(5, r.tenant());
        ev.setString(6, r.resourceType());
        ev.setString(7, r.action());
        ev.setString(8, r.decision());
        ev.setString(9, r.commit());
        ev.setLong(10, r.durationMicros());
        ev.setString(11, r.requestJson());
        ev.addBatch();
        java.util.Set<PolicyKey> seen = new java.util.HashSet<>();
        int ordinal = 0;
        for (LoggedMatch x : r.matches()) {
          m.setLong(1, seq);
          m.setInt(2, ordinal++);
          m.setString(3, x.policy());
          m.setString(4, x.definedAt());
          m.setString(5, x.enforcement());
          m.setString(6, x.effect());
          m.setString(7, x.rule());
          m.setString(8, x.message());
          m.setLong(9, micros);
          m.setInt(10, seen.add(x.key()) ? 1 : 0);
          m.addBatch();
        }
        countUsage(r, usage);
        writeApplied(r, seq, micros);
        rows++;
      }
      flush(ev, m);
    }
    if (!usage.isEmpty()) {
      try (PreparedStatement u = writer.prepareStatement(
          "INSERT INTO policy_usage(policy, defined_at, hour, evaluations, denies, warns) VALUES (?,?,?,?,?,?)"
              + " ON CONFLICT(policy, defined_at, hour) DO UPDATE SET evaluations = evaluations + excluded.evaluations,"
              + " denies = denies + excluded.denies, warns = warns + excluded.warns")) {
        for (Map.Entry<UsageKey, long[]> e : usage.entrySet()) {
          u.setString(1, e.getKey().key().policy());
          u.setString(2, e.getKey().key().definedAt());
          u.setLong(3, e.getKey().hour());
          u.setLong(4, e.getValue()[0]);
          u.setLong(5, e.getValue()[1]);
          u.setLong(6, e.getValue()[2]);
          u.addBatch();
        }
        u.executeBatch();
      }
    }
    return rows;
  }

  /** One row per policy the evaluation applied (the applicable ones and any that matched). */
  private void writeApplied(EvaluationRecord r, long seq, long micros) throws SQLException {
    java.util.Set<PolicyKey> keys = new java.util.LinkedHashSet<>(r.applicable());
    r.matches().forEach(x -> keys.add(x.key()));
    if (keys.isEmpty()) {
      return;
    }
    if (appliedInsert == null) {
      appliedInsert = writer.prepareStatement("INSERT OR IGNORE INTO evaluation_applied(policy, defined_at, time,"
          + " evaluation_seq) VALUES (?,?,?,?)");
    }
    for (PolicyKey k : keys) {
      appliedInsert.setString(1, k.policy());
      appliedInsert.setString(2, k.definedAt());
      appliedInsert.setLong(3, micros);
      appliedInsert.setLong(4, seq);
      appliedInsert.addBatch();
    }
    appliedInsert.executeBatch();
  }

  private static void flush(PreparedStatement ev, PreparedStatement m) throws SQLException {
    ev.executeBatch();
    m.executeBatch();
  }

  private record UsageKey(PolicyKey key, long hour) {}

  /** One evaluation counts once per policy it ran: denied or warned when any of its matching rules did. */
  private static void countUsage(EvaluationRecord r, Map<UsageKey, long[]> usage) {
    long hour = r.time().getEpochSecond() / 3600;
    Map<PolicyKey, long[]> per = new LinkedHashMap<>();
    for (PolicyKey k : r.applicable()) {
      per.computeIfAbsent(k, x -> new long[3])[0] = 1;
    }
    for (LoggedMatch x : r.matches()) {
      long[] c = per.computeIfAbsent(x.key(), k -> new long[3]);
      c[0] = 1;
      if (x.effect().equals("deny")) {
        c[1] = 1;
      } else if (x.effect().equals("warn")) {
        c[2] = 1;
      }
    }
    per.forEach((k, c) -> {
      long[] total = usage.computeIfAbsent(new UsageKey(k, hour), x -> new long[3]);
      for (int i = 0; i < 3; i++) {
        total[i] += c[i];
      }
    });
  }

  private void rollbackQuietly() {
    try {
      writer.rollback();
    } catch (SQLException e) {
      LOG.debug("rollback failed: {}", e.toString());
    }
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Runs SQL on the writer thread, between batches, and waits for its commit. */
  private void onWriter(SqlWork work) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    enqueue(new Task(work, done));
    await(done, "the evaluation log did not apply the change");
  }

  /** Waits until every row appended before this call is committed. */
  public void flush() {
    onWriter(c -> {});
  }

  // ---- retention

  /** One chunk of a deletion pass, when one is due: short transactions, so queued rows wait little. */
  private void retentionStep() {
    boolean requested;
    synchronized (purgeWaiters) {
      requested = !purgeWaiters.isEmpty();
    }
    if (settings.retention().isEmpty()) {
      if (requested) {
        completePurge(0);
      }
      return;
    }
    if (!retentionActive) {
      if (!requested && System.nanoTime() - nextRetentionCheck < 0) {
        return;
      }
      retentionActive = true;
      retentionDeletedInPass = 0;
    }
    long cutoff = micros(Instant.now().minus(settings.retention().get()));
    try {
      List<Long> seqs = new ArrayList<>();
      try (PreparedStatement q = writer.prepareStatement(
          "SELECT seq FROM evaluation WHERE time < ? ORDER BY time LIMIT ?")) {
        q.setLong(1, cutoff);
        q.setInt(2, settings.retentionChunk());
        try (ResultSet rs = q.executeQuery()) {
          while (rs.next()) {
            seqs.add(rs.getLong(1));
          }
        }
      }
      if (!seqs.isEmpty()) {
        try (PreparedStatement dm = writer.prepareStatement("DELETE FROM evaluation_match WHERE evaluation_seq = ?");
            PreparedStatement da = writer.prepareStatement("DELETE FROM evaluation_applied WHERE evaluation_seq = ?");
            PreparedStatement de = writer.prepareStatement("DELETE FROM evaluation WHERE seq = ?")) {
          for (long s : seqs) {
            dm.setLong(1, s);
            dm.addBatch();
            da.setLong(1, s);
            da.addBatch();
            de.setLong(1, s);
            de.addBatch();
          }
          dm.executeBatch();
          da.executeBatch();
          de.executeBatch();
        }
      }
      if (seqs.size() < settings.retentionChunk()) {
        try (PreparedStatement du = writer.prepareStatement("DELETE FROM policy_usage WHERE hour < ?")) {
          du.setLong(1, cutoff / 3_600_000_000L);
          du.executeUpdate();
        }
      }
      writer.commit();
      retentionDeletedInPass += seqs.size();
      rowsDeleted.addAndGet(seqs.size());
      if (seqs.size() < settings.retentionChunk()) {
        retentionActive = false;
        nextRetentionCheck = System.nanoTime() + settings.retentionEvery().toNanos();
        if (retentionDeletedInPass > 0) {
          LOG.info("evaluation log: retention deleted {} rows older than {}", retentionDeletedInPass,
              settings.retention().get());
        }
        completePurge(retentionDeletedInPass);
      }
    } catch (SQLException e) {
      rollbackQuietly();
      retentionActive = false;
      nextRetentionCheck = System.nanoTime() + settings.retentionEvery().toNanos();
      LOG.warn("evaluation log: retention pass failed: {}", e.toString());
      completePurge(retentionDeletedInPass);
    }
  }

  private void completePurge(long deleted) {
    synchronized (purgeWaiters) {
      purgeWaiters.forEach(f -> f.complete(deleted));
      purgeWaiters.clear();
    }
  }

  private void failPurgeWaiters() {
    synchronized (purgeWaiters) {
      purgeWaiters.forEach(f -> f.completeExceptionally(new LogUnavailableException("the evaluation log is closed")));
      purgeWaiters.clear();
    }
  }

  /**
   * Runs a retention pass now (in chunks, between batches) over every row appended before the call, and
   * waits for it.
   *
   * @return rows deleted by the pass
   */
  public long purgeExpired() {
    flush(); // the pass covers every row appended before the call
    CompletableFuture<Long> f = new CompletableFuture<>();
    synchronized (purgeWaiters) {
      if (closed) {
        throw new LogUnavailableException("the evaluation log is closed");
      }
      purgeWaiters.add(f);
    }
    try {
      return f.get(5, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LogUnavailableException("interrupted");
    } catch (ExecutionException | TimeoutException e) {
      throw new LogUnavailableException("retention pass failed: " + e, e);
    }
  }

  // ---- circuit breakers

  /** Records a breaker's state (replacing the previous one) and waits until it is committed. */
  public void saveBreaker(BreakerState s) {
    onWriter(c -> {
      try (PreparedStatement p = c.prepareStatement(
          "INSERT INTO circuit_breaker(policy, defined_at, state, opened_at, reason, changed_at) VALUES (?,?,?,?,?,?)"
              + " ON CONFLICT(policy, defined_at) DO UPDATE SET state = excluded.state, opened_at = excluded.opened_at,"
              + " reason = excluded.reason, changed_at = excluded.changed_at")) {
        p.setString(1, s.key().policy());
        p.setString(2, s.key().definedAt());
        p.setString(3, s.open() ? "open" : "closed");
        if (s.openedAt().isPresent()) {
          p.setLong(4, micros(s.openedAt().get()));
        } else {
          p.setNull(4, java.sql.Types.INTEGER);
        }
        p.setString(5, s.reason().orElse(null));
        p.setLong(6, micros(s.changedAt()));
        p.executeUpdate();
      }
    });
  }

  /** Every breaker state recorded. */
  public List<BreakerState> breakers() {
    return read(c -> {
      List<BreakerState> out = new ArrayList<>();
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery(
              "SELECT policy, defined_at, state, opened_at, reason, changed_at FROM circuit_breaker ORDER BY policy, defined_at")) {
        while (rs.next()) {
          long opened = rs.getLong(4);
          boolean hasOpened = !rs.wasNull();
          out.add(new BreakerState(new PolicyKey(rs.getString(1), rs.getString(2)), rs.getString(3).equals("open"),
              hasOpened ? Optional.of(instant(opened)) : Optional.empty(), Optional.ofNullable(rs.getString(5)),
              instant(rs.getLong(6))));
        }
      }
      return out;
    });
  }

  // ---- reading

  @FunctionalInterface
  private interface SqlRead<T> {
    T apply(Connection c) throws SQLException;
  }

  private <T> T read(SqlRead<T> work) {
    Connection c = borrow();
    boolean broken = false;
    try {
      return work.apply(c);
    } catch (SQLException e) {
      broken = true;
      throw new LogUnavailableException("reading the evaluation log failed: " + e.getMessage(), e);
    } finally {
      giveBack(c, broken);
    }
  }

  private Connection borrow() {
    Connection c = readers.poll();
    if (c != null) {
      return c;
    }
    if (readersOpened.incrementAndGet() <= READERS) {
      try {
        return open(settings, true);
      } catch (SQLException e) {
        readersOpened.decrementAndGet();
        throw new LogUnavailableException("cannot open a reader on the evaluation log: " + e.getMessage(), e);
      }
    }
    readersOpened.decrementAndGet();
    try {
      c = readers.poll(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (c == null) {
      throw new LogUnavailableException("no reader connection became free");
    }
    return c;
  }

  private void giveBack(Connection c, boolean broken) {
    if (broken || closed || !readers.offer(c)) {
      try {
        c.close();
      } catch (SQLException e) {
        LOG.debug("closing a reader failed: {}", e.toString());
      }
      readersOpened.decrementAndGet();
    }
  }

  /** Rows in the log (committed ones). */
  public long count() {
    return read(c -> {
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM evaluation")) {
        return rs.getLong(1);
      }
    });
  }

  /** One evaluation by its public id. */
  public Optional<EvaluationRecord> find(String id) {
    return read(c -> {
      try (PreparedStatement p = c.prepareStatement("SELECT " + COLUMNS + " FROM evaluation e WHERE e.id = ?")) {
        p.setString(1, id);
        List<Long> seqs = new ArrayList<>();
        List<EvaluationRecord> rows = rows(p, seqs);
        return rows.isEmpty() ? Optional.<EvaluationRecord>empty() : Optional.of(withMatches(c, rows, seqs).get(0));
      }
    });
  }

  /**
   * Evaluations matching the filter, newest first, at most {@code limit}, after {@code cursor} (from a
   * previous page's {@code nextCursor}). Keyset pagination on (time, seq): any page costs the same.
   *
   * @throws IllegalArgumentException for a cursor this log did not issue
   */
  public EvaluationPage list(EvaluationFilter f, Optional<String> cursor, int limit) {
    Optional<long[]> after = cursor.map(EvaluationLog::readCursor);
    Query q = listQuery(f, after, limit);
    return read(c -> {
      try (PreparedStatement p = c.prepareStatement(q.sql())) {
        bind(p, q.args());
        List<Long> seqs = new ArrayList<>();
        List<EvaluationRecord> rows = rows(p, seqs);
        Optional<String> next = Optional.empty();
        if (rows.size() > limit) {
          rows = rows.subList(0, limit);
          seqs = seqs.subList(0, limit);
          next = Optional.of(cursor(micros(rows.get(limit - 1).time()), seqs.get(limit - 1)));
        }
        return new EvaluationPage(withMatches(c, rows, seqs), next);
      }
    });
  }

  private record Query(String sql, List<Object> args) {}

  private static Query listQuery(EvaluationFilter f, Optional<long[]> after, int limit) {
    List<Object> args = new ArrayList<>();
    StringBuilder sql = new StringBuilder();
    String time;
    String seq;
    if (f.policy().isPresent()) {
      // Driven by the policy's match index: already in (time, seq) order, one entry per evaluation.
      sql.append("SELECT ").append(COLUMNS).append(" FROM evaluation_match m JOIN evaluation e ON e.seq = m.evaluation_seq")
          .append(" WHERE m.first_of_policy = 1 AND m.policy = ?");
      args.add(f.policy().get());
      time = "m.time";
      seq = "m.evaluation_seq";
    } else {
      sql.append("SELECT ").append(COLUMNS).append(" FROM evaluation e WHERE 1 = 1");
      time = "e.time";
      seq = "e.seq";
    }
    f.scope().ifPresent(s -> {
      sql.append(" AND e.scope = ?");
      args.add(s);
    });
    f.scopePrefix().ifPresent(s -> {
      if (s.isEmpty()) {
        return; // the global scope contains every scope
      }
      if (s.indexOf('.') < 0) {
        // A whole tenant: the (tenant, time) index gives the rows already in time order, where the
        // scope range below would make SQLite sort them (130 ms a page at 10 M rows, BENCHMARKS.md).
        sql.append(" AND e.tenant = ?");
        args.add(s);
        return;
      }
      // 'acme.chat' and 'acme.chat.*': '/' is the character after '.', so the range is index-friendly.
      sql.append(" AND (e.scope = ? OR (e.scope >= ? AND e.scope < ?))");
      args.add(s);
      args.add(s + ".");
      args.add(s + "/");
    });
    f.decision().ifPresent(d -> {
      sql.append(" AND e.decision = ?");
      args.add(d);
    });
    f.commit().ifPresent(x -> {
      sql.append(" AND e.commit_id = ?");
      args.add(x);
    });
    f.tenants().ifPresent(ts -> {
      sql.append(" AND e.tenant IN (").append(String.join(",", java.util.Collections.nCopies(Math.max(1, ts.size()), "?")))
          .append(")");
      if (ts.isEmpty()) {
        args.add("\u0000"); // no tenant: matches nothing
      }
      args.addAll(new java.util.TreeSet<>(ts));
    });
    f.since().ifPresent(t -> {
      sql.append(" AND ").append(time).append(" >= ?");
      args.add(micros(t));
    });
    f.until().ifPresent(t -> {
      sql.append(" AND ").append(time).append(" < ?");
      args.add(micros(t));
    });
    after.ifPresent(a -> {
      // A row value, not "time < ? OR (time = ? AND seq < ?)": with the OR, SQLite 3.53 plans a multi-index
      // OR and sorts every row in range (1.6 s a page at 1 M rows); the row value stays one index range.
      sql.append(" AND (").append(time).append(", ").append(seq).append(") < (?, ?)");
      args.add(a[0]);
      args.add(a[1]);
    });
    sql.append(" ORDER BY ").append(time).append(" DESC, ").append(seq).append(" DESC LIMIT ?");
    args.add(limit + 1);
    return new Query(sql.toString(), args);
  }

  /** SQLite's plan for a page of {@link #list}: tests check that no page sorts (a sort costs every row in range). */
  String listPlan(EvaluationFilter f, Optional<String> cursor, int limit) {
    Query q = listQuery(f, cursor.map(EvaluationLog::readCursor), limit);
    return read(c -> {
      try (PreparedStatement p = c.prepareStatement("EXPLAIN QUERY PLAN " + q.sql())) {
        bind(p, q.args());
        StringBuilder plan = new StringBuilder();
        try (ResultSet rs = p.executeQuery()) {
          while (rs.next()) {
            plan.append(rs.getString(4)).append('\n');
          }
        }
        return plan.toString();
      }
    });
  }

  /**
   * Evaluations in which one policy definition matched, newest first, by page (1-based).
   */
  public PolicyEvaluationPage policyEvaluations(PolicyKey key, int page, int pageSize) {
    return read(c -> {
      long total;
      try (PreparedStatement p = c.prepareStatement("SELECT count(*) FROM evaluation_match"
          + " WHERE policy = ? AND defined_at = ? AND first_of_policy = 1")) {
        p.setString(1, key.policy());
        p.setString(2, key.definedAt());
        try (ResultSet rs = p.executeQuery()) {
          total = rs.getLong(1);
        }
      }
      List<PolicyEvaluationPage.Item> items = new ArrayList<>();
      try (PreparedStatement p = c.prepareStatement("SELECT " + COLUMNS + ", m.enforcement, m.effect, m.rule, m.message"
          + " FROM evaluation_match m JOIN evaluation e ON e.seq = m.evaluation_seq"
          + " WHERE m.policy = ? AND m.defined_at = ? AND m.first_of_policy = 1"
          + " ORDER BY m.time DESC, m.evaluation_seq DESC LIMIT ? OFFSET ?")) {
        p.setString(1, key.policy());
        p.setString(2, key.definedAt());
        p.setInt(3, pageSize);
        p.setLong(4, (long) (page - 1) * pageSize);
        List<Long> seqs = new ArrayList<>();
        List<LoggedMatch> firsts = new ArrayList<>();
        try (ResultSet rs = p.executeQuery()) {
          while (rs.next()) {
            seqs.add(rs.getLong(1));
            firsts.add(new LoggedMatch(key.policy(), key.definedAt(), rs.getString(12), rs.getString(13),
                rs.getString(14), rs.getString(15)));
          }
        }
        // Re-read the rows in the same order (the result set above carries the first match only).
        List<EvaluationRecord> rows = bySeq(c, seqs);
        for (int i = 0; i < rows.size(); i++) {
          items.add(new PolicyEvaluationPage.Item(rows.get(i), firsts.get(i)));
        }
      }
      return new PolicyEvaluationPage(items, total, page, pageSize);
    });
  }

  /**
   * Evaluations that applied one policy definition, passes included, newest first, by page (1-based).
   * An item's match is the policy's first matching rule, or null when the policy passed.
   */
  public PolicyEvaluationPage appliedEvaluations(PolicyKey key, int page, int pageSize) {
    return read(c -> {
      long total;
      try (PreparedStatement p = c.prepareStatement(
          "SELECT count(*) FROM evaluation_applied WHERE policy = ? AND defined_at = ?")) {
        p.setString(1, key.policy());
        p.setString(2, key.definedAt());
        try (ResultSet rs = p.executeQuery()) {
          total = rs.getLong(1);
        }
      }
      List<Long> seqs = new ArrayList<>();
      try (PreparedStatement p = c.prepareStatement("SELECT evaluation_seq FROM evaluation_applied"
          + " WHERE policy = ? AND defined_at = ? ORDER BY time DESC, evaluation_seq DESC LIMIT ? OFFSET ?")) {
        p.setString(1, key.policy());
        p.setString(2, key.definedAt());
        p.setInt(3, pageSize);
        p.setLong(4, (long) (page - 1) * pageSize);
        try (ResultSet rs = p.executeQuery()) {
          while (rs.next()) {
            seqs.add(rs.getLong(1));
          }
        }
      }
      List<PolicyEvaluationPage.Item> items = new ArrayList<>();
      for (EvaluationRecord r : bySeq(c, seqs)) {
        items.add(new PolicyEvaluationPage.Item(r,
            r.matches().stream().filter(m -> m.key().equals(key)).findFirst().orElse(null)));
      }
      return new PolicyEvaluationPage(items, total, page, pageSize);
    });
  }

  private List<EvaluationRecord> bySeq(Connection c, List<Long> seqs) throws SQLException {
    if (seqs.isEmpty()) {
      return List.of();
    }
    Map<Long, EvaluationRecord> found = new HashMap<>();
    try (PreparedStatement p = c.prepareStatement("SELECT " + COLUMNS + " FROM evaluation e WHERE e.seq IN ("
        + String.join(",", java.util.Collections.nCopies(seqs.size(), "?")) + ")")) {
      bind(p, new ArrayList<>(seqs));
      List<Long> got = new ArrayList<>();
      List<EvaluationRecord> rows = withMatches(c, rows(p, got), got);
      for (int i = 0; i < rows.size(); i++) {
        found.put(got.get(i), rows.get(i));
      }
    }
    return seqs.stream().map(found::get).filter(java.util.Objects::nonNull).toList();
  }

  /** Usage of every policy definition seen in the last 7 days, counted by hour. */
  public Map<PolicyKey, PolicyUsage> usage(Instant now) {
    long hourNow = now.getEpochSecond() / 3600;
    long from7d = hourNow - 7 * 24 + 1;
    long from24h = hourNow - 24 + 1;
    return read(c -> {
      Map<PolicyKey, PolicyUsage> out = new HashMap<>();
      try (PreparedStatement p = c.prepareStatement("SELECT policy, defined_at,"
          + " sum(CASE WHEN hour >= ?1 THEN evaluations ELSE 0 END), sum(CASE WHEN hour >= ?1 THEN denies ELSE 0 END),"
          + " sum(CASE WHEN hour >= ?1 THEN warns ELSE 0 END), sum(evaluations), sum(denies), sum(warns)"
          + " FROM policy_usage WHERE hour >= ?2 GROUP BY policy, defined_at")) {
        p.setLong(1, from24h);
        p.setLong(2, from7d);
        try (ResultSet rs = p.executeQuery()) {
          while (rs.next()) {
            out.put(new PolicyKey(rs.getString(1), rs.getString(2)), new PolicyUsage(
                new PolicyUsage.Counts(rs.getLong(3), rs.getLong(4), rs.getLong(5)),
                new PolicyUsage.Counts(rs.getLong(6), rs.getLong(7), rs.getLong(8))));
          }
        }
      }
      return out;
    });
  }

  /**
   * Usage of one policy definition, read through the roll-up's primary key: what a policy read
   * needs, without summing every policy's roll-ups as {@link #usage(Instant)} does.
   */
  public PolicyUsage usage(PolicyKey key, Instant now) {
    long hourNow = now.getEpochSecond() / 3600;
    return read(c -> {
      try (PreparedStatement p = c.prepareStatement("SELECT"
          + " sum(CASE WHEN hour >= ?1 THEN evaluations ELSE 0 END), sum(CASE WHEN hour >= ?1 THEN denies ELSE 0 END),"
          + " sum(CASE WHEN hour >= ?1 THEN warns ELSE 0 END), sum(evaluations), sum(denies), sum(warns)"
          + " FROM policy_usage WHERE policy = ?3 AND defined_at = ?4 AND hour >= ?2")) {
        p.setLong(1, hourNow - 24 + 1);
        p.setLong(2, hourNow - 7 * 24 + 1);
        p.setString(3, key.policy());
        p.setString(4, key.definedAt());
        try (ResultSet rs = p.executeQuery()) {
          rs.next();
          return new PolicyUsage(new PolicyUsage.Counts(rs.getLong(1), rs.getLong(2), rs.getLong(3)),
              new PolicyUsage.Counts(rs.getLong(4), rs.getLong(5), rs.getLong(6)));
        }
      }
    });
  }

  private static void bind(PreparedStatement p, List<Object> args) throws SQLException {
    for (int i = 0; i < args.size(); i++) {
      Object a = args.get(i);
      if (a instanceof Long l) {
        p.setLong(i + 1, l);
      } else if (a instanceof Integer n) {
        p.setInt(i + 1, n);
      } else {
        p.setString(i + 1, (String) a);
      }
    }
  }

  private static List<EvaluationRecord> rows(PreparedStatement p, List<Long> seqs) throws SQLException {
    List<EvaluationRecord> out = new ArrayList<>();
    try (ResultSet rs = p.executeQuery()) {
      while (rs.next()) {
        seqs.add(rs.getLong(1));
        out.add(new EvaluationRecord(rs.getString(2), instant(rs.getLong(3)), rs.getString(4), rs.getString(5),
            rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getLong(10), rs.getString(11),
            List.of(), List.of()));
      }
    }
    return out;
  }

  private static List<EvaluationRecord> withMatches(Connection c, List<EvaluationRecord> rows, List<Long> seqs)
      throws SQLException {
    if (rows.isEmpty()) {
      return rows;
    }
    Map<Long, List<LoggedMatch>> bySeq = new HashMap<>();
    try (PreparedStatement p = c.prepareStatement("SELECT evaluation_seq, policy, defined_at, enforcement, effect, rule,"
        + " message FROM evaluation_match WHERE evaluation_seq IN ("
        + String.join(",", java.util.Collections.nCopies(seqs.size(), "?")) + ") ORDER BY evaluation_seq, ordinal")) {
      bind(p, new ArrayList<>(seqs));
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          bySeq.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(new LoggedMatch(rs.getString(2),
              rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7)));
        }
      }
    }
    List<EvaluationRecord> out = new ArrayList<>(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      EvaluationRecord r = rows.get(i);
      out.add(new EvaluationRecord(r.id(), r.time(), r.scope(), r.tenant(), r.resourceType(), r.action(), r.decision(),
          r.commit(), r.durationMicros(), r.requestJson(), bySeq.getOrDefault(seqs.get(i), List.of()), List.of()));
    }
    return out;
  }

  // ---- cursors and times

  private static String cursor(long timeMicros, long seq) {
    return Base64.getUrlEncoder().withoutPadding()
        .encodeToString((timeMicros + ":" + seq).getBytes(StandardCharsets.US_ASCII));
  }

  private static long[] readCursor(String c) {
    try {
      String[] parts = new String(Base64.getUrlDecoder().decode(c), StandardCharsets.US_ASCII).split(":");
      if (parts.length != 2) {
        throw new IllegalArgumentException();
      }
      return new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1])};
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a cursor of this list");
    }
  }

  /**
   * Microseconds since the epoch, saturated: any Instant a filter may carry (years -1e9 to 1e9) maps to a
   * comparable long instead of overflowing (ChronoUnit.MICROS.between goes through nanoseconds, which
   * overflow after 2262).
   */
  static long micros(Instant t) {
    long seconds = t.getEpochSecond();
    if (seconds > Long.MAX_VALUE / 1_000_000 - 1) {
      return Long.MAX_VALUE;
    }
    if (seconds < Long.MIN_VALUE / 1_000_000 + 1) {
      return Long.MIN_VALUE;
    }
    return seconds * 1_000_000 + t.getNano() / 1_000;
  }

  static Instant instant(long micros) {
    return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
  }

  // ---- state and shutdown

  /** Rows waiting for the writer. */
  public int queueDepth() {
    return queue.size();
  }

  /** Appends that found the queue full and had to wait. */
  public long backPressureWaits() {
    return backPressureWaits.get();
  }

  /** Rows committed since this log was opened. */
  public long rowsWritten() {
    return rowsWritten.get();
  }

  public long batchesWritten() {
    return batches.get();
  }

  /** Rows deleted by retention since this log was opened. */
  public long rowsDeleted() {
    return rowsDeleted.get();
  }

  /** Stops taking rows, writes every queued one, then closes the database. */
  @Override
  public void close() {
    closing.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
    } finally {
      closing.writeLock().unlock();
    }
    stopping = true;
    if (!readOnly) {
      try {
        writerThread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      try {
        writer.close();
      } catch (SQLException e) {
        LOG.warn("closing the evaluation log failed: {}", e.toString());
      }
    }
    Connection c;
    while ((c = readers.poll()) != null) {
      try {
        c.close();
      } catch (SQLException e) {
        LOG.debug("closing a reader failed: {}", e.toString());
      }
    }
  }
}
