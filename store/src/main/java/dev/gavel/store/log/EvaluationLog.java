package dev.gavel.store.log;

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
import java.util.ArrayList;
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
public final class EvaluationLog implements EvaluationStore {
  private static final Logger LOG = LoggerFactory.getLogger(EvaluationLog.class);
  private static final int READERS = 4;
  private static final Duration IDLE_POLL = Duration.ofMillis(20);



  private final LogSettings settings;
  private final BatchListener listener;
  private final BlockingQueue<Entry> queue;
  private final WriterLag lag;
  private final Checkpointer checkpointer;
  private static final Duration CHECKPOINT_EVERY = Duration.ofMillis(500);
  private final BlockingQueue<Connection> readers = new ArrayBlockingQueue<>(READERS);
  private final AtomicLong readersOpened = new AtomicLong();
  private final ReentrantReadWriteLock closing = new ReentrantReadWriteLock();
  private final AtomicLong backPressureWaits = new AtomicLong();
  private final AtomicLong rowsWritten = new AtomicLong();
  private final AtomicLong batches = new AtomicLong();
  private final AtomicLong rowsDeleted = new AtomicLong();
  private final AtomicLong writeFailures = new AtomicLong();
  private final AtomicLong rowsLost = new AtomicLong();
  /** The writer's last error while it cannot commit; null while writes succeed. */
  private volatile String failing;
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

  /** A queued row or task; {@code queuedAt} is {@link System#nanoTime()} when it was queued. */
  private sealed interface Entry permits Row, Task {
    long queuedAt();
  }

  private record Row(EvaluationRecord record, CompletableFuture<Void> committed, long queuedAt) implements Entry {}

  private record Task(SqlWork work, CompletableFuture<Void> done, long queuedAt) implements Entry {}

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
      LogSchema.create(s);
      try (ResultSet rs = s.executeQuery("SELECT coalesce(max(seq), 0) FROM evaluation")) {
        nextSeq = rs.getLong(1) + 1;
      }
    }
    try (Statement s = writer.createStatement()) {
      s.execute("PRAGMA wal_autocheckpoint = 0"); // the Checkpointer copies the WAL, off the writer's commits
    }
    writer.setAutoCommit(false);
    this.lag = new WriterLag(settings.durability() == Durability.BATCH ? settings.maxLag() : Duration.ZERO);
    this.checkpointer = new Checkpointer(settings.file(), CHECKPOINT_EVERY);
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
    this.lag = new WriterLag(Duration.ZERO);
    this.checkpointer = null;
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
  @Override
  public void append(EvaluationRecord record) {
    CompletableFuture<Void> committed = settings.durability() == Durability.SYNC ? new CompletableFuture<>() : null;
    enqueue(new Row(record, committed, System.nanoTime()));
    if (committed != null) {
      await(committed, "the row was not committed");
    }
  }

  private long queueHeadQueuedAt() {
    Entry head = queue.peek();
    return head == null ? WriterLag.NONE : head.queuedAt();
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
      String error = failing;
      if (error != null && e instanceof Row) {
        // While the writer cannot commit, no new row is taken (so none is acknowledged and then lost).
        throw new LogUnavailableException("the evaluation log cannot write: " + error);
      }
      long deadline = System.nanoTime() + settings.appendWait().toNanos();
      if (e instanceof Row && !lag.within(this::queueHeadQueuedAt)) {
        backPressureWaits.incrementAndGet();
        if (!lag.awaitWithin(this::queueHeadQueuedAt, deadline)) {
          throw new LogUnavailableException("the evaluation log's writer stayed more than " + settings.maxLag()
              + " behind for " + settings.appendWait() + "; the disk is slower than the load");
        }
      }
      if (queue.offer(e)) {
        return;
      }
      backPressureWaits.incrementAndGet();
      if (!queue.offer(e, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
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

  /** Attempts per batch before its rows are given up on (about 30 s of back-off). */
  static final int MAX_WRITE_ATTEMPTS = 40;
  /** {@link #MAX_WRITE_ATTEMPTS}; tests of this package lower it. */
  volatile int maxWriteAttempts = MAX_WRITE_ATTEMPTS;

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
        lag.batchStarted(first.queuedAt());
        batch.add(first);
        queue.drainTo(batch, settings.maxBatch() - 1);
        try {
          write(batch);
        } finally {
          lag.batchEnded();
        }
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
        writeFailures.incrementAndGet();
        failing = e.toString();
        if (attempt >= (stopping ? Math.min(3, maxWriteAttempts) : maxWriteAttempts)) {
          // Bounded: the rows of this batch are counted as lost and said so, loudly, once.
          long lost = batch.stream().filter(x -> x instanceof Row).count();
          rowsLost.addAndGet(lost);
          LOG.error("evaluation log: gave up on a batch after {} attempts; {} rows lost: {}", attempt, lost, e.toString());
          for (Entry x : batch) {
            CompletableFuture<Void> f = completion(x);
            if (f != null) {
              f.completeExceptionally(e);
            }
          }
          return;
        }
        if (attempt == 1) {
          LOG.warn("evaluation log: a batch of {} entries failed, retrying: {}", batch.size(), e.toString());
        }
        sleepQuietly(Math.min(1000, 50L * attempt));
      }
    }
    if (failing != null) {
      LOG.info("evaluation log: writing again");
      failing = null;
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
        long micros = LogTimes.micros(r.time());
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
    enqueue(new Task(work, done, System.nanoTime()));
    await(done, "the evaluation log did not apply the change");
  }

  /** Waits until every row appended before this call is committed. */
  @Override
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
    long cutoff = LogTimes.micros(Instant.now().minus(settings.retention().get()));
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
  @Override
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
          p.setLong(4, LogTimes.micros(s.openedAt().get()));
        } else {
          p.setNull(4, java.sql.Types.INTEGER);
        }
        p.setString(5, s.reason().orElse(null));
        p.setLong(6, LogTimes.micros(s.changedAt()));
        p.executeUpdate();
      }
    });
  }

  /** Every breaker state recorded. */
  @Override
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
              hasOpened ? Optional.of(LogTimes.instant(opened)) : Optional.empty(), Optional.ofNullable(rs.getString(5)),
              LogTimes.instant(rs.getLong(6))));
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
      try (PreparedStatement p = c.prepareStatement("SELECT " + LogSql.COLUMNS + " FROM evaluation e WHERE e.id = ?")) {
        p.setString(1, id);
        List<Long> seqs = new ArrayList<>();
        List<EvaluationRecord> rows = LogSql.rows(p, seqs);
        return rows.isEmpty() ? Optional.<EvaluationRecord>empty() : Optional.of(LogSql.withMatches(c, rows, seqs).get(0));
      }
    });
  }

  /**
   * Evaluations matching the filter, newest first, at most {@code limit}, after {@code cursor} (from a
   * previous page's {@code nextCursor}). Keyset pagination on (time, seq): any page costs the same.
   *
   * @throws IllegalArgumentException for a cursor this log did not issue
   */
  @Override
  public EvaluationPage list(EvaluationFilter f, Optional<String> cursor, int limit) {
    Optional<long[]> after = cursor.map(LogTimes::readCursor);
    LogSql.Query q = LogSql.listQuery(f, after, limit);
    return read(c -> {
      try (PreparedStatement p = c.prepareStatement(q.sql())) {
        LogSql.bind(p, q.args());
        List<Long> seqs = new ArrayList<>();
        List<EvaluationRecord> rows = LogSql.rows(p, seqs);
        Optional<String> next = Optional.empty();
        if (rows.size() > limit) {
          rows = rows.subList(0, limit);
          seqs = seqs.subList(0, limit);
          next = Optional.of(LogTimes.cursor(LogTimes.micros(rows.get(limit - 1).time()), seqs.get(limit - 1)));
        }
        return new EvaluationPage(LogSql.withMatches(c, rows, seqs), next);
      }
    });
  }

  /** SQLite's plan for a page of {@link #list}: tests check that no page sorts (a sort costs every row in range). */
  String listPlan(EvaluationFilter f, Optional<String> cursor, int limit) {
    LogSql.Query q = LogSql.listQuery(f, cursor.map(LogTimes::readCursor), limit);
    return read(c -> {
      try (PreparedStatement p = c.prepareStatement("EXPLAIN QUERY PLAN " + q.sql())) {
        LogSql.bind(p, q.args());
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
  @Override
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
      try (PreparedStatement p = c.prepareStatement("SELECT " + LogSql.COLUMNS + ", m.enforcement, m.effect, m.rule, m.message"
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
  @Override
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
    try (PreparedStatement p = c.prepareStatement("SELECT " + LogSql.COLUMNS + " FROM evaluation e WHERE e.seq IN ("
        + String.join(",", java.util.Collections.nCopies(seqs.size(), "?")) + ")")) {
      LogSql.bind(p, new ArrayList<>(seqs));
      List<Long> got = new ArrayList<>();
      List<EvaluationRecord> rows = LogSql.withMatches(c, LogSql.rows(p, got), got);
      for (int i = 0; i < rows.size(); i++) {
        found.put(got.get(i), rows.get(i));
      }
    }
    return seqs.stream().map(found::get).filter(java.util.Objects::nonNull).toList();
  }

  /** Usage of every policy definition seen in the last 7 days, counted by hour. */
  @Override
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
  @Override
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
  /** Failed attempts to commit a batch (each retried, at most {@link #MAX_WRITE_ATTEMPTS} times). */
  public long writeFailures() {
    return writeFailures.get();
  }

  /** Rows given up on after {@link #MAX_WRITE_ATTEMPTS} failed commits: each also logged as an error. */
  public long rowsLost() {
    return rowsLost.get();
  }

  /** The writer's last error while it cannot commit; empty while the log is writing. */
  @Override
  public java.util.Optional<String> failure() {
    return java.util.Optional.ofNullable(failing);
  }

  /** The writer's lag now: the age of the oldest row queued and not yet committed. */
  public Duration writerLag() {
    return Duration.ofNanos(lag.nanos(this::queueHeadQueuedAt));
  }

  /** Passive checkpoints of the write-ahead log run so far (off the writer's thread). */
  public long checkpoints() {
    return checkpointer == null ? 0 : checkpointer.checkpoints();
  }

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
      checkpointer.close();
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
