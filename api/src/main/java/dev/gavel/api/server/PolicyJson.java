package dev.gavel.api.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gavel.engine.model.Policy;
import dev.gavel.engine.model.PolicyPath;
import dev.gavel.engine.parse.Diagnostic;
import dev.gavel.engine.parse.ParseResult;
import dev.gavel.engine.parse.PolicyParser;
import dev.gavel.engine.parse.PolicyWriter;
import dev.gavel.store.git.Author;
import dev.gavel.store.git.CommitInfo;
import dev.gavel.store.git.FileChange;
import dev.gavel.store.git.FileStamp;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/** The JSON shapes the API answers with, built in one place so every route spells them alike. */
final class PolicyJson {
  private PolicyJson() {}

  /** Git's blob id of the bytes: the same ETag whatever commit the file is read at. */
  static String blobId(byte[] bytes) {
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      sha1.update(("blob " + bytes.length + "\0").getBytes(StandardCharsets.US_ASCII));
      sha1.update(bytes);
      return HexFormat.of().formatHex(sha1.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String etag(byte[] bytes) {
    return "\"" + blobId(bytes) + "\"";
  }

  /** A policy file as stored: its parsed tree (or its diagnostics), source text and ETag. */
  static ObjectNode raw(PolicyPath where, byte[] bytes, String commit, Optional<FileStamp> stamp) {
    ObjectNode n = Json.object();
    n.put("scope", where.scope().dotted());
    n.put("name", where.name());
    n.put("file", where.path());
    n.put("commit", commit);
    n.put("etag", etag(bytes));
    ParseResult<Policy> parsed = PolicyParser.parse(bytes, where.path());
    if (parsed instanceof ParseResult.Parsed<Policy> ok) {
      n.set("policy", PolicyWriter.tree(ok.value()));
    } else {
      n.putNull("policy");
      n.set("diagnostics", diagnostics(parsed.diagnostics()));
    }
    n.put("source", new String(bytes, StandardCharsets.UTF_8));
    stamp.ifPresent(s -> stamps(n, s));
    return n;
  }

  static void stamps(ObjectNode n, FileStamp s) {
    n.put("createdAt", s.createdAt().toString());
    n.set("createdBy", author(s.createdBy()));
    n.put("updatedAt", s.updatedAt().toString());
    n.set("updatedBy", author(s.updatedBy()));
  }

  static ObjectNode author(Author a) {
    ObjectNode n = Json.object();
    n.put("name", a.name());
    n.put("email", a.email());
    return n;
  }

  static ArrayNode diagnostics(List<Diagnostic> ds) {
    ArrayNode a = Json.MAPPER.createArrayNode();
    for (Diagnostic d : ds) {
      ObjectNode n = a.addObject();
      n.put("severity", d.severity().name().toLowerCase(java.util.Locale.ROOT));
      n.put("file", d.file());
      n.put("line", d.line());
      n.put("column", d.column());
      n.put("field", d.field());
      n.put("message", d.message());
    }
    return a;
  }

  /** A commit, with the changed files the caller may see. */
  static ObjectNode commit(CommitInfo c, Predicate<String> visible) {
    ObjectNode n = Json.object();
    n.put("commit", c.id());
    ArrayNode parents = n.putArray("parents");
    c.parents().forEach(parents::add);
    n.set("author", author(c.author()));
    n.put("time", c.time().toString());
    n.put("subject", c.subject());
    n.put("message", c.message());
    n.set("changes", changes(c.changes(), visible));
    return n;
  }

  static ArrayNode changes(List<FileChange> changes, Predicate<String> visible) {
    ArrayNode a = Json.MAPPER.createArrayNode();
    for (FileChange f : changes) {
      if (visible.test(f.path())) {
        ObjectNode ch = a.addObject();
        ch.put("path", f.path());
        ch.put("kind", f.kind().name().toLowerCase(java.util.Locale.ROOT));
      }
    }
    return a;
  }
}
