package org.aliasdns.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads TSIG keys written as BIND writes them ({@code tsig-keygen}, {@code rndc.key}, a {@code
 * named.conf} include), and as Knot's {@code keymgr -t} prints them for BIND:
 *
 * <pre>
 * key "xfr-key" {
 *     algorithm hmac-sha256;
 *     secret "pN3bJ9zS8d8u7k0pQy6l0jv2W7c1yQ2k9y8m3l4o5p0=";
 * };
 * </pre>
 *
 * <p>Only {@code key} statements are read, any number of them; comments in the three forms BIND
 * takes ({@code #}, {@code //}, {@code /* ... *}{@code /}) are skipped. Anything else (another
 * statement, a missing {@code ;}, an unknown algorithm, a secret that is not base64, two keys of
 * one name) is refused with a {@link TsigKeyFileException} that names the file, the line and the
 * reason.
 *
 * @since 0.1
 */
public final class TsigKeyFile {
  private TsigKeyFile() {}

  /**
   * Reads every key in a file.
   *
   * @param file the file, UTF-8
   * @return the keys, in file order; at least one
   * @throws IOException if the file cannot be read
   * @throws TsigKeyFileException if the text is not key statements, or holds none
   */
  public static List<TsigKey> read(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    return parse(text, file.toString());
  }

  /**
   * Reads every key in a text.
   *
   * @param text the statements
   * @param source the name to report in errors, e.g. the file name
   * @return the keys, in order; at least one
   * @throws TsigKeyFileException if the text is not key statements, or holds none
   */
  public static List<TsigKey> parse(String text, String source) {
    Tokens tokens = new Tokens(text, source);
    List<TsigKey> keys = new ArrayList<>();
    Set<String> names = new HashSet<>();
    while (true) {
      Token keyword = tokens.next();
      if (keyword == null) {
        break;
      }
      if (keyword.quoted() || !keyword.text().equals("key")) {
        throw tokens.error(keyword.line(), "expected a key statement, found \"" + keyword.text() + "\"");
      }
      Token name = tokens.word("the key's name");
      tokens.expect("{");
      String algorithm = null;
      String secret = null;
      int secretLine = name.line();
      while (true) {
        Token field = tokens.word("algorithm, secret or }");
        if (field.text().equals("}") && !field.quoted()) {
          break;
        }
        switch (field.text()) {
          case "algorithm":
            if (algorithm != null) {
              throw tokens.error(field.line(), "key \"" + name.text() + "\" has two algorithms");
            }
            algorithm = tokens.word("the algorithm").text();
            break;
          case "secret":
            if (secret != null) {
              throw tokens.error(field.line(), "key \"" + name.text() + "\" has two secrets");
            }
            Token s = tokens.word("the secret");
            secret = s.text();
            secretLine = s.line();
            break;
          default:
            throw tokens.error(
                field.line(),
                "unknown setting \"" + field.text() + "\" in key \"" + name.text()
                    + "\" (algorithm, secret)");
        }
        tokens.expect(";");
      }
      tokens.expect(";");
      if (algorithm == null) {
        throw tokens.error(name.line(), "key \"" + name.text() + "\" has no algorithm");
      }
      if (secret == null) {
        throw tokens.error(name.line(), "key \"" + name.text() + "\" has no secret");
      }
      TsigKey key;
      try {
        key = TsigKey.of(name.text(), algorithm, secret);
      } catch (IllegalArgumentException e) {
        throw tokens.error(
            e.getMessage() != null && e.getMessage().startsWith("unknown TSIG algorithm")
                ? name.line()
                : secretLine,
            String.valueOf(e.getMessage()));
      }
      if (!names.add(key.name().toString().toLowerCase(java.util.Locale.ROOT))) {
        throw tokens.error(name.line(), "a second key named \"" + name.text() + "\"");
      }
      keys.add(key);
    }
    if (keys.isEmpty()) {
      throw new TsigKeyFileException(source, 0, "no key statement");
    }
    return List.copyOf(keys);
  }

  private record Token(String text, boolean quoted, int line) {}

  /** Splits the text into words, quoted strings and the punctuation {@code { } ;}. */
  private static final class Tokens {
    private final String text;
    private final String source;
    private int at;
    private int line = 1;

    Tokens(String text, String source) {
      this.text = text;
      this.source = source;
    }

    TsigKeyFileException error(int atLine, String reason) {
      return new TsigKeyFileException(source, atLine, reason);
    }

    Token word(String what) {
      Token t = next();
      if (t == null) {
        throw error(line, "the file ends where " + what + " should be");
      }
      if (!t.quoted() && (t.text().equals("{") || t.text().equals(";"))) {
        throw error(t.line(), "expected " + what + ", found \"" + t.text() + "\"");
      }
      return t;
    }

    void expect(String punctuation) {
      Token t = next();
      if (t == null) {
        throw error(line, "the file ends where \"" + punctuation + "\" should be");
      }
      if (t.quoted() || !t.text().equals(punctuation)) {
        throw error(t.line(), "expected \"" + punctuation + "\", found \"" + t.text() + "\"");
      }
    }

    @Nullable Token next() {
      skipSpaceAndComments();
      if (at >= text.length()) {
        return null;
      }
      char c = text.charAt(at);
      int startLine = line;
      if (c == '{' || c == '}' || c == ';') {
        at++;
        return new Token(String.valueOf(c), false, startLine);
      }
      if (c == '"') {
        int end = text.indexOf('"', at + 1);
        if (end < 0) {
          throw error(startLine, "a quoted string is not closed");
        }
        String s = text.substring(at + 1, end);
        line += count(s, '\n');
        at = end + 1;
        return new Token(s, true, startLine);
      }
      int start = at;
      while (at < text.length()) {
        char d = text.charAt(at);
        if (Character.isWhitespace(d) || d == '{' || d == '}' || d == ';' || d == '"'
            || d == '#' || (d == '/' && at + 1 < text.length()
                && (text.charAt(at + 1) == '/' || text.charAt(at + 1) == '*'))) {
          break;
        }
        at++;
      }
      return new Token(text.substring(start, at), false, startLine);
    }

    private void skipSpaceAndComments() {
      while (at < text.length()) {
        char c = text.charAt(at);
        if (c == '\n') {
          line++;
          at++;
        } else if (Character.isWhitespace(c)) {
          at++;
        } else if (c == '#' || (c == '/' && at + 1 < text.length() && text.charAt(at + 1) == '/')) {
          while (at < text.length() && text.charAt(at) != '\n') {
            at++;
          }
        } else if (c == '/' && at + 1 < text.length() && text.charAt(at + 1) == '*') {
          int end = text.indexOf("*/", at + 2);
          if (end < 0) {
            throw error(line, "a /* comment is not closed");
          }
          line += count(text.substring(at, end), '\n');
          at = end + 2;
        } else {
          return;
        }
      }
    }

    private static int count(String s, char c) {
      int n = 0;
      for (int i = 0; i < s.length(); i++) {
        if (s.charAt(i) == c) {
          n++;
        }
      }
      return n;
    }
  }
}
