package dev.gavel.engine.parse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gavel.engine.model.SourceLocation;
import java.io.StringReader;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.NodeEvent;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.parser.Parser;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.ReaderException;
import org.yaml.snakeyaml.reader.StreamReader;

/**
 * One YAML document read into a Jackson tree, with the source position of every key and value.
 *
 * <p>Built from SnakeYAML's event stream (not its composer or constructor) so that every safety rule is
 * checked where the problem is: anchors and aliases are refused (no alias bombs), as are explicit tags,
 * duplicate keys, non-scalar keys, a second document and nesting deeper than {@link #MAX_DEPTH}.
 * Plain scalars are typed by the YAML 1.2 core schema, so {@code off}, {@code yes} and {@code 2026-10-01}
 * stay strings.
 */
final class YamlDocument {
    static final int MAX_BYTES = 1024 * 1024;
    static final int MAX_DEPTH = 32;

    private static final Pattern INT = Pattern.compile("[-+]?[0-9]+");
    private static final Pattern FLOAT = Pattern.compile("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");
    private static final Pattern BOOL = Pattern.compile("true|True|TRUE|false|False|FALSE");
    private static final Pattern NULL = Pattern.compile("~|null|Null|NULL|");
    private static final String CORE = "tag:yaml.org,2002:";

    private final String file;
    private final JsonNode root;
    private final Map<String, SourceLocation> values;
    private final Map<String, SourceLocation> keys;
    private final Map<String, SourceLocation> textStarts;

    private YamlDocument(
            String file,
            JsonNode root,
            Map<String, SourceLocation> values,
            Map<String, SourceLocation> keys,
            Map<String, SourceLocation> textStarts) {
        this.file = file;
        this.root = root;
        this.values = values;
        this.keys = keys;
        this.textStarts = textStarts;
    }

    /** The file's tree, or the diagnostics that stopped the reading (never both, never an exception). */
    record Read(Optional<YamlDocument> document, List<Diagnostic> errors) {}

    /** How a diagnostic from the safety net starts: a bug of Gavel's, never the answer to any input. */
    static final String INTERNAL_ERROR = "internal error";

    static Read read(byte[] bytes, String file) {
        String f = file == null ? "" : file;
        try {
            return readChecked(bytes, f);
        } catch (StackOverflowError | RuntimeException e) {
            // Safety net: the checks above should catch everything, but a crash is never the answer.
            return fail(
                    f,
                    1,
                    1,
                    INTERNAL_ERROR + " while reading the file as YAML: "
                            + e.getClass().getSimpleName());
        }
    }

    private static Read readChecked(byte[] bytes, String file) {
        if (bytes == null || bytes.length == 0) {
            return fail(file, 1, 1, "the file is empty; expected a YAML document");
        }
        if (bytes.length > MAX_BYTES) {
            return fail(
                    file, 1, 1, "the file is " + bytes.length + " bytes; the limit is 1 MiB (" + MAX_BYTES + " bytes)");
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length + 1);
        CoderResult cr = decoder.decode(in, out, true);
        if (cr.isError()) {
            int offset = in.position();
            int line = 1;
            int lineStart = 0;
            for (int i = 0; i < offset; i++) {
                if (bytes[i] == '\n') {
                    line++;
                    lineStart = i + 1;
                }
            }
            return fail(
                    file,
                    line,
                    offset - lineStart + 1,
                    String.format(
                            "the file is not valid UTF-8 (byte 0x%02x at offset %d); save it as UTF-8",
                            bytes[offset] & 0xff, offset));
        }
        try {
            decoder.flush(out);
        } catch (RuntimeException e) {
            return fail(file, 1, 1, "the file is not valid UTF-8");
        }
        out.flip();
        String text = out.toString();
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1); // a UTF-8 byte order mark is harmless; SnakeYAML would see it as content
        }
        return new Builder(file, text).build();
    }

    private static Read fail(String file, int line, int column, String message) {
        return new Read(Optional.empty(), List.of(new Diagnostic(file, line, column, Severity.ERROR, "", message)));
    }

    String file() {
        return file;
    }

    JsonNode root() {
        return root;
    }

    /** Where the value at {@code path} starts; the nearest enclosing value when unknown. */
    SourceLocation valueAt(FieldPath path) {
        FieldPath p = path;
        while (true) {
            SourceLocation l = values.get(p.pointer());
            if (l != null) {
                return l;
            }
            if (p.isRoot()) {
                return new SourceLocation(file, 1, 1);
            }
            p = p.parent();
        }
    }

    /** Where the key of the field at {@code path} is written; its value position when it has no key. */
    SourceLocation keyAt(FieldPath path) {
        SourceLocation l = keys.get(path.pointer());
        return l != null ? l : valueAt(path);
    }

    /** Where the first character of the string at {@code path} is (inside quotes, below a block header). */
    SourceLocation textAt(FieldPath path) {
        SourceLocation l = textStarts.get(path.pointer());
        return l != null ? l : valueAt(path);
    }

    /** Turns SnakeYAML events into a tree, refusing what a policy file never needs. */
    private static final class Builder {
        private final String file;
        private final String text;
        private final Map<String, SourceLocation> values = new HashMap<>();
        private final Map<String, SourceLocation> keys = new HashMap<>();
        private final Map<String, SourceLocation> textStarts = new HashMap<>();
        private final Deque<Frame> stack = new ArrayDeque<>();
        private String[] lines;
        private JsonNode root;
        private int documents;

        Builder(String file, String text) {
            this.file = file;
            this.text = text;
        }

        /** Limits of every read; never changed after this, so shared by all threads. */
        private static final LoaderOptions LOADER_OPTIONS = loaderOptions();

        private static LoaderOptions loaderOptions() {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            options.setMaxAliasesForCollections(0);
            options.setNestingDepthLimit(MAX_DEPTH);
            options.setCodePointLimit(MAX_BYTES + 1);
            options.setAllowRecursiveKeys(false);
            return options;
        }

        /**
         * A mapping or sequence being filled; mappings alternate between expecting a key and a value. Positions are
         * recorded under JSON pointers built as strings along the way; a {@link FieldPath} (for a diagnostic's
         * field) is made only when there is a diagnostic: every scalar of every file would otherwise copy its
         * path (a fifth of a cold compile's YAML reading).
         */
        private static final class Frame {
            final JsonNode node;
            final String pointer;
            final Frame parent;
            final Object element; // this frame's key or index in its parent; null at the root
            String pendingKey;
            String pendingPointer;
            final Map<String, SourceLocation> seenKeys = new HashMap<>();

            Frame(JsonNode node, String pointer, Frame parent, Object element) {
                this.node = node;
                this.pointer = pointer;
                this.parent = parent;
                this.element = element;
            }

            FieldPath path() {
                return parent == null
                        ? FieldPath.ROOT
                        : element instanceof Integer i
                                ? parent.path().index(i)
                                : parent.path().key((String) element);
            }
        }

        /** RFC 6901: {@code ~} and {@code /} inside a key are escaped (as {@link FieldPath#pointer()} does). */
        private static String child(String pointer, String key) {
            if (key.indexOf('~') < 0 && key.indexOf('/') < 0) {
                return pointer + "/" + key;
            }
            return pointer + "/" + key.replace("~", "~0").replace("/", "~1");
        }

        Read build() {
            try {
                // The event parser alone: a `Yaml` instance would also build a constructor, representer and
                // resolver per file (a tenth of a cold compile's parsing), none of which reading events uses.
                Parser parser = new ParserImpl(new StreamReader(new StringReader(text)), LOADER_OPTIONS);
                while (parser.peekEvent() != null) {
                    Event event = parser.getEvent();
                    Optional<Diagnostic> problem = accept(event);
                    if (problem.isPresent()) {
                        return new Read(Optional.empty(), List.of(problem.get()));
                    }
                }
            } catch (MarkedYAMLException e) {
                return new Read(Optional.empty(), List.of(syntaxError(e)));
            } catch (ReaderException e) {
                SourceLocation at = locationOfCodePoint(e.getPosition());
                return new Read(
                        Optional.empty(),
                        List.of(error(at, String.format("character U+%04X is not allowed in YAML", e.getCodePoint()))));
            } catch (RuntimeException e) {
                return new Read(
                        Optional.empty(),
                        List.of(error(
                                new SourceLocation(file, 1, 1),
                                "cannot read the file as YAML: " + oneLine(e.getMessage()))));
            }
            if (root == null) {
                return new Read(
                        Optional.empty(),
                        List.of(error(
                                new SourceLocation(file, 1, 1),
                                "the file has no YAML document (only comments or blank lines)")));
            }
            if (root.isNull()) {
                return new Read(
                        Optional.empty(),
                        List.of(error(
                                new SourceLocation(file, 1, 1),
                                "the document is empty; expected a mapping of fields")));
            }
            return new Read(Optional.of(new YamlDocument(file, root, values, keys, textStarts)), List.of());
        }

        private Optional<Diagnostic> accept(Event event) {
            switch (event.getEventId()) {
                case DocumentStart -> {
                    documents++;
                    if (documents > 1) {
                        return Optional.of(error(
                                at(event.getStartMark()),
                                "the file has more than one YAML document ('---'); a file holds exactly one"));
                    }
                    return Optional.empty();
                }
                case Alias -> {
                    return Optional.of(error(
                            at(event.getStartMark()),
                            "YAML aliases (*" + ((AliasEvent) event).getAnchor()
                                    + ") are not allowed; write the value out"));
                }
                case Scalar, MappingStart, SequenceStart -> {
                    return node((NodeEvent) event);
                }
                case MappingEnd, SequenceEnd -> {
                    stack.pop();
                    return Optional.empty();
                }
                default -> {
                    return Optional.empty();
                }
            }
        }

        private Optional<Diagnostic> node(NodeEvent event) {
            SourceLocation start = at(event.getStartMark());
            if (event.getAnchor() != null) {
                return Optional.of(
                        error(start, "YAML anchors (&" + event.getAnchor() + ") are not allowed; write the value out"));
            }
            String tag = event instanceof ScalarEvent s ? s.getTag() : ((CollectionStartEvent) event).getTag();
            Frame parent = stack.peek();
            boolean isKey = parent != null && parent.node.isObject() && parent.pendingKey == null;
            if (isKey) {
                if (!(event instanceof ScalarEvent key)) {
                    return Optional.of(error(start, "keys must be plain strings, not lists or mappings"));
                }
                if (tag != null && !tag.equals(CORE + "str") && !tag.equals("!")) {
                    return Optional.of(error(start, "YAML tags (" + tag + ") are not allowed"));
                }
                SourceLocation first = parent.seenKeys.putIfAbsent(key.getValue(), start);
                if (first != null) {
                    FieldPath path = parent.path().key(key.getValue());
                    return Optional.of(new Diagnostic(
                            file,
                            start.line(),
                            start.column(),
                            Severity.ERROR,
                            path.display(),
                            prefix(path) + "duplicate key '" + key.getValue() + "' (first at line " + first.line()
                                    + ")"));
                }
                parent.pendingKey = key.getValue();
                parent.pendingPointer = child(parent.pointer, key.getValue());
                keys.put(parent.pendingPointer, start);
                return Optional.empty();
            }
            String pointer;
            Object element;
            if (parent == null) {
                pointer = "";
                element = null;
            } else if (parent.node.isObject()) {
                pointer = parent.pendingPointer;
                element = parent.pendingKey;
            } else {
                element = parent.node.size();
                pointer = parent.pointer + "/" + element;
            }
            JsonNode value;
            if (event instanceof ScalarEvent s) {
                Optional<JsonNode> scalar = scalar(s, tag);
                if (scalar.isEmpty()) {
                    FieldPath path = pathOf(parent, element);
                    return Optional.of(new Diagnostic(
                            file,
                            start.line(),
                            start.column(),
                            Severity.ERROR,
                            path.display(),
                            prefix(path) + "YAML tag '" + tag + "' is not allowed here; remove it"));
                }
                value = scalar.get();
                textStarts.put(pointer, textStart(s));
            } else {
                if (tag != null && !tag.equals(CORE + "map") && !tag.equals(CORE + "seq")) {
                    FieldPath path = pathOf(parent, element);
                    return Optional.of(new Diagnostic(
                            file,
                            start.line(),
                            start.column(),
                            Severity.ERROR,
                            path.display(),
                            prefix(path) + "YAML tag '" + tag + "' is not allowed; remove it"));
                }
                if (stack.size() >= MAX_DEPTH) {
                    return Optional.of(error(start, "the document nests deeper than " + MAX_DEPTH + " levels"));
                }
                value = event.getEventId() == Event.ID.MappingStart
                        ? JsonNodeFactory.instance.objectNode()
                        : JsonNodeFactory.instance.arrayNode();
            }
            values.put(pointer, start);
            if (parent == null) {
                root = value;
            } else if (parent.node instanceof ObjectNode o) {
                o.set(parent.pendingKey, value);
                parent.pendingKey = null;
                parent.pendingPointer = null;
            } else {
                ((ArrayNode) parent.node).add(value);
            }
            if (!(event instanceof ScalarEvent)) {
                stack.push(new Frame(value, pointer, parent, element));
            }
            return Optional.empty();
        }

        private static FieldPath pathOf(Frame parent, Object element) {
            if (parent == null) {
                return FieldPath.ROOT;
            }
            return element instanceof Integer i
                    ? parent.path().index(i)
                    : parent.path().key((String) element);
        }

        /** YAML 1.2 core schema for plain scalars; quoted and block scalars are strings. Empty for a bad tag. */
        private static Optional<JsonNode> scalar(ScalarEvent s, String tag) {
            JsonNodeFactory f = JsonNodeFactory.instance;
            String v = s.getValue();
            String kind;
            if (tag == null) {
                kind = s.isPlain() ? implicitKind(v) : "str";
            } else if (tag.equals("!")) {
                kind = "str";
            } else if (tag.startsWith(CORE)) {
                kind = tag.substring(CORE.length());
            } else {
                return Optional.empty();
            }
            return switch (kind) {
                case "str" -> Optional.of(f.textNode(v));
                case "null" -> NULL.matcher(v).matches() ? Optional.of(f.nullNode()) : Optional.empty();
                case "bool" ->
                    BOOL.matcher(v).matches()
                            ? Optional.of(f.booleanNode(v.equalsIgnoreCase("true")))
                            : Optional.empty();
                case "int" -> INT.matcher(v).matches() ? Optional.of(integer(v)) : Optional.empty();
                case "float" ->
                    FLOAT.matcher(v).matches()
                            ? Optional.of(f.numberNode(Double.parseDouble(v)))
                            : INT.matcher(v).matches()
                                    ? Optional.of(f.numberNode(Double.parseDouble(v)))
                                    : Optional.empty();
                default -> Optional.empty();
            };
        }

        private static String implicitKind(String v) {
            if (v.isEmpty()) {
                return "null";
            }
            char c = v.charAt(0);
            // Only these first characters can begin a null, a bool, an int or a float of the core schema: most
            // scalars (names, messages, locations) are strings without a regex tried on them.
            if (c != '~'
                    && c != 'n'
                    && c != 'N'
                    && c != 't'
                    && c != 'T'
                    && c != 'f'
                    && c != 'F'
                    && c != '-'
                    && c != '+'
                    && c != '.'
                    && (c < '0' || c > '9')) {
                return "str";
            }
            if (NULL.matcher(v).matches()) {
                return "null";
            }
            if (BOOL.matcher(v).matches()) {
                return "bool";
            }
            if (INT.matcher(v).matches()) {
                return "int";
            }
            if (FLOAT.matcher(v).matches()) {
                return "float";
            }
            return "str";
        }

        private static JsonNode integer(String v) {
            BigInteger b = new BigInteger(v.startsWith("+") ? v.substring(1) : v);
            JsonNodeFactory f = JsonNodeFactory.instance;
            if (b.bitLength() < 32) {
                return f.numberNode(b.intValue());
            }
            if (b.bitLength() < 64) {
                return f.numberNode(b.longValue());
            }
            return f.numberNode(b);
        }

        /** Where the scalar's text begins: after an opening quote, or on the first line below a block header. */
        private SourceLocation textStart(ScalarEvent s) {
            Mark m = s.getStartMark();
            if (s.isSQuoted() || s.isDQuoted()) {
                return new SourceLocation(file, m.getLine() + 1, m.getColumn() + 2);
            }
            if (s.isLiteral() || s.isFolded()) {
                String[] ls = lines();
                for (int i = m.getLine() + 1; i < ls.length; i++) {
                    String l = ls[i];
                    if (!l.isBlank()) {
                        int indent = 0;
                        while (indent < l.length() && l.charAt(indent) == ' ') {
                            indent++;
                        }
                        return new SourceLocation(file, m.getLine() + 2, indent + 1);
                    }
                }
            }
            return at(m);
        }

        private String[] lines() {
            if (lines == null) {
                lines = text.split("\n", -1);
            }
            return lines;
        }

        private Diagnostic syntaxError(MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            SourceLocation at = m == null ? new SourceLocation(file, 1, 1) : at(m);
            String problem = oneLine(e.getProblem() != null ? e.getProblem() : e.getMessage());
            StringBuilder msg = new StringBuilder("invalid YAML: ").append(problem);
            if (problem.contains("\\t") || problem.contains("'\t'") || problem.contains("TAB")) {
                msg.append(" (indent with spaces; tabs are not allowed in YAML indentation)");
            } else if (e.getContext() != null) {
                msg.append(" (").append(oneLine(e.getContext())).append(")");
            }
            return error(at, msg.toString());
        }

        private SourceLocation locationOfCodePoint(int position) {
            int line = 1;
            int column = 1;
            int cp = 0;
            for (int i = 0; i < text.length() && cp < position; i = text.offsetByCodePoints(i, 1), cp++) {
                if (text.charAt(i) == '\n') {
                    line++;
                    column = 1;
                } else {
                    column++;
                }
            }
            return new SourceLocation(file, line, column);
        }

        private SourceLocation at(Mark m) {
            return new SourceLocation(file, m.getLine() + 1, m.getColumn() + 1);
        }

        private Diagnostic error(SourceLocation at, String message) {
            return new Diagnostic(file, at.line(), at.column(), Severity.ERROR, "", message);
        }

        private static String prefix(FieldPath path) {
            return path.isRoot() ? "" : path.display() + ": ";
        }

        private static String oneLine(String s) {
            return s == null ? "" : s.replaceAll("\\s+", " ").trim();
        }
    }
}
