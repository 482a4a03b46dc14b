import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Checks a Central publishing bundle (the zip the release profile writes) before anyone uploads
 * it: every published artifact is there with its POM, jar, sources and javadoc, each file has a
 * signature and md5/sha1/sha256/sha512 checksums that match, nothing else is in it (no
 * benchmarks, no test-jar), every POM carries the metadata Central requires, every jar carries
 * LICENSE, NOTICE and an Implementation-Version, and the command's POM keeps its demo-only and
 * logging dependencies optional so that library users do not inherit them. A jar with classes
 * under {@code META-INF/versions/} says {@code Multi-Release: true} (else JDK 18+ ignores them
 * and fails on a services entry naming one), every class named in a {@code META-INF/services}
 * file is in its jar, every class of a classes jar has its source in the sources jar (a {@code
 * META-INF/versions/N/} class at the same place there), and the executable jar carries the
 * license texts of the native code it bundles (AWS-LC's, with the OpenSSL and SSLeay licenses).
 *
 * <p>Usage: {@code java .ci/CheckBundle.java BUNDLE.zip VERSION [--key PUBLIC_KEY.asc]}; with
 * {@code --key}, every signature is verified with gpg against that key alone. Exit 0 when the
 * bundle is complete, 1 with one line per problem otherwise.
 */
public final class CheckBundle {
  private static final String GROUP_PATH = "org/aliasdns/";

  /** The published artifacts and the classifiers each one ships ("" is the main jar). */
  private static final Map<String, List<String>> PUBLISHED = new LinkedHashMap<>();

  static {
    PUBLISHED.put("alias-parent", List.of());
    PUBLISHED.put("alias-bom", List.of());
    PUBLISHED.put("alias-core", List.of("", "sources", "javadoc"));
    PUBLISHED.put("alias-resolver", List.of("", "sources", "javadoc"));
    PUBLISHED.put("alias-server", List.of("", "sources", "javadoc"));
    PUBLISHED.put("alias-testkit", List.of("", "sources", "javadoc"));
    // the command: its classes for embedding, and the executable jar with every dependency
    PUBLISHED.put("alias-cli", List.of("", "sources", "javadoc", "all"));
  }

  private static final Map<String, String> CHECKSUMS =
      Map.of("md5", "MD5", "sha1", "SHA-1", "sha256", "SHA-256", "sha512", "SHA-512");

  private final List<String> problems = new ArrayList<>();
  private final ZipFile zip;
  private final String version;
  private final Map<String, Document> poms = new LinkedHashMap<>();
  /** The entries of every jar checked, by its path in the bundle. */
  private final Map<String, TreeSet<String>> jarEntries = new LinkedHashMap<>();

  /** Files the executable jar must carry, with a phrase each must contain. */
  private static final Map<String, List<String>> ALL_JAR_LICENSES =
      Map.of("META-INF/licenses/aws-lc.txt", List.of("OpenSSL License", "Original SSLeay License", "ISC license"));

  private CheckBundle(ZipFile zip, String version) {
    this.zip = zip;
    this.version = version;
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 2 && !(args.length == 4 && args[2].equals("--key"))) {
      System.err.println("usage: java CheckBundle.java BUNDLE.zip VERSION [--key PUBLIC_KEY.asc]");
      System.exit(2);
    }
    try (ZipFile zip = new ZipFile(args[0])) {
      CheckBundle check = new CheckBundle(zip, args[1]);
      List<String> signed = check.checkFiles();
      check.checkPoms();
      if (args.length == 4) {
        check.verifySignatures(Path.of(args[3]), signed);
      }
      if (!check.problems.isEmpty()) {
        check.problems.forEach(p -> System.err.println("check-bundle: " + p));
        System.err.println("check-bundle: " + check.problems.size() + " problem(s) in " + args[0]);
        System.exit(1);
      }
      System.out.println(
          "check-bundle: complete: "
              + PUBLISHED.size()
              + " artifacts at "
              + args[1]
              + ", "
              + zip.size()
              + " files; POMs, jars, sources, javadoc, checksums"
              + (args.length == 4 ? ", signatures verified" : ", signatures present (not verified: no --key)"));
    }
  }

  /** Returns the files that must be signed; records missing, extra and mismatching files. */
  private List<String> checkFiles() throws IOException, NoSuchAlgorithmException {
    TreeSet<String> expected = new TreeSet<>();
    List<String> primary = new ArrayList<>();
    for (Map.Entry<String, List<String>> a : PUBLISHED.entrySet()) {
      String base = GROUP_PATH + a.getKey() + "/" + version + "/" + a.getKey() + "-" + version;
      primary.add(base + ".pom");
      for (String classifier : a.getValue()) {
        primary.add(base + (classifier.isEmpty() ? "" : "-" + classifier) + ".jar");
      }
    }
    for (String f : primary) {
      expected.add(f);
      expected.add(f + ".asc");
      CHECKSUMS.keySet().forEach(ext -> expected.add(f + "." + ext));
    }
    TreeSet<String> present = new TreeSet<>();
    zip.stream().filter(e -> !e.isDirectory()).forEach(e -> present.add(e.getName()));

    for (String f : expected) {
      if (!present.contains(f)) {
        problems.add("missing " + f);
      }
    }
    for (String f : present) {
      // checksums of the signatures are harmless; anything else unexpected is not published
      boolean ascChecksum = CHECKSUMS.keySet().stream().anyMatch(ext -> f.endsWith(".asc." + ext))
          && expected.contains(f.substring(0, f.lastIndexOf('.')));
      if (!expected.contains(f) && !ascChecksum) {
        problems.add("not publishable, yet in the bundle: " + f);
      }
    }
    for (String f : present) {
      for (Map.Entry<String, String> c : CHECKSUMS.entrySet()) {
        String sum = f + "." + c.getKey();
        if (present.contains(sum)) {
          String want = read(sum).trim().split("\\s+")[0].toLowerCase();
          String have = HexFormat.of().formatHex(MessageDigest.getInstance(c.getValue()).digest(bytes(f)));
          if (!want.equals(have)) {
            problems.add(sum + " does not match the file");
          }
        }
      }
    }
    for (String f : primary) {
      if (present.contains(f) && f.endsWith(".jar")) {
        checkJar(f);
      }
    }
    for (String f : primary) {
      if (jarEntries.containsKey(f) && f.endsWith("-" + version + ".jar")) {
        checkSources(f, f.substring(0, f.length() - ".jar".length()) + "-sources.jar");
      }
    }
    return primary.stream().filter(present::contains).toList();
  }

  /** Every jar carries the license; a classes jar also says what and which version it is. */
  private void checkJar(String name) throws IOException {
    TreeSet<String> entries = new TreeSet<>();
    Map<String, byte[]> services = new LinkedHashMap<>();
    Map<String, byte[]> licenses = new LinkedHashMap<>();
    Manifest manifest;
    try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(bytes(name)))) {
      manifest = in.getManifest();
      for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
        entries.add(e.getName());
        if (e.getName().startsWith("META-INF/services/") && !e.isDirectory()) {
          services.put(e.getName(), in.readAllBytes());
        } else if (ALL_JAR_LICENSES.containsKey(e.getName())) {
          licenses.put(e.getName(), in.readAllBytes());
        }
      }
    }
    jarEntries.put(name, entries);
    for (String required : List.of("META-INF/LICENSE", "META-INF/NOTICE")) {
      if (!entries.contains(required)) {
        problems.add(name + " has no " + required);
      }
    }
    boolean classes = !name.endsWith("-sources.jar") && !name.endsWith("-javadoc.jar");
    if (classes) {
      String title = manifest == null ? null : manifest.getMainAttributes().getValue("Implementation-Title");
      String v = manifest == null ? null : manifest.getMainAttributes().getValue("Implementation-Version");
      if (title == null || title.isBlank()) {
        problems.add(name + ": manifest has no Implementation-Title");
      }
      if (!version.equals(v)) {
        problems.add(name + ": manifest Implementation-Version is " + v + ", not " + version);
      }
      boolean versioned = entries.stream().anyMatch(e -> e.startsWith("META-INF/versions/") && e.endsWith(".class"));
      String multiRelease = manifest == null ? null : manifest.getMainAttributes().getValue("Multi-Release");
      if (versioned && !"true".equalsIgnoreCase(multiRelease)) {
        problems.add(name + ": has classes in META-INF/versions/ but its manifest lacks Multi-Release: true"
            + " (JDK 9+ ignores them, and a services entry naming one fails on JDK 18+)");
      }
      // every provider a services file names is in the jar (in its base or a versions/N part)
      services.forEach((file, content) -> {
        for (String line : new String(content, StandardCharsets.UTF_8).split("\n")) {
          String provider = line.replaceAll("#.*", "").trim();
          if (provider.isEmpty()) {
            continue;
          }
          String path = provider.replace('.', '/') + ".class";
          boolean found = entries.contains(path)
              || entries.stream().anyMatch(e -> e.matches("META-INF/versions/[0-9]+/" + java.util.regex.Pattern.quote(path)));
          if (!found) {
            problems.add(name + ": " + file + " names " + provider + ", which the jar does not have");
          }
        }
      });
    }
    if (name.endsWith("-all.jar")) {
      ALL_JAR_LICENSES.forEach((file, phrases) -> {
        byte[] text = licenses.get(file);
        if (text == null) {
          problems.add(name + " has no " + file + " (the license of the native code it bundles)");
          return;
        }
        String t = new String(text, StandardCharsets.UTF_8);
        phrases.stream().filter(ph -> !t.contains(ph))
            .forEach(ph -> problems.add(name + ": " + file + " lacks \"" + ph + "\""));
      });
    }
  }

  /**
   * Every class of a classes jar has its source in the sources jar: the top-level class's
   * {@code .java} at the same path (a {@code META-INF/versions/N/} class's under the same
   * {@code META-INF/versions/N/}), and {@code module-info.java} for {@code module-info.class}.
   */
  private void checkSources(String classesJar, String sourcesJar) {
    TreeSet<String> sources = jarEntries.get(sourcesJar);
    if (sources == null) {
      return; // reported as missing
    }
    TreeSet<String> missing = new TreeSet<>();
    for (String e : jarEntries.get(classesJar)) {
      if (!e.endsWith(".class")) {
        continue;
      }
      String base = e.substring(0, e.length() - ".class".length());
      int slash = base.lastIndexOf('/');
      int dollar = base.indexOf('$', slash + 1);
      String source = (dollar < 0 ? base : base.substring(0, dollar)) + ".java";
      if (!sources.contains(source)) {
        missing.add(source);
      }
    }
    missing.forEach(m -> problems.add(sourcesJar + " lacks " + m + ", whose class " + classesJar + " has"));
  }

  private void checkPoms() throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    for (String artifact : PUBLISHED.keySet()) {
      String path = GROUP_PATH + artifact + "/" + version + "/" + artifact + "-" + version + ".pom";
      if (zip.getEntry(path) == null) {
        continue; // reported as missing
      }
      Document pom = factory.newDocumentBuilder().parse(new ByteArrayInputStream(bytes(path)));
      poms.put(artifact, pom);
    }
    for (Map.Entry<String, Document> p : poms.entrySet()) {
      String artifact = p.getKey();
      Element project = p.getValue().getDocumentElement();
      Element parent = child(project, "parent");
      Element inherited = null;
      if (parent != null) {
        String parentId = text(child(parent, "artifactId"));
        Document parentPom = poms.get(parentId);
        if (parentPom == null) {
          problems.add(artifact + ": its parent " + parentId + " is not in the bundle");
        } else {
          inherited = parentPom.getDocumentElement();
        }
      }
      String v = text(child(project, "version"));
      if (v == null && parent != null) {
        v = text(child(parent, "version"));
      }
      if (!version.equals(v)) {
        problems.add(artifact + ": POM version " + v + ", not " + version);
      }
      for (String own : List.of("name", "description")) {
        if (text(child(project, own)) == null) {
          problems.add(artifact + ": POM has no <" + own + ">");
        }
      }
      // Central: url, licenses, developers and scm, here or in the parent POM
      String[][] required = {
        {"url"}, {"licenses", "license", "name"}, {"licenses", "license", "url"},
        {"developers", "developer", "name"}, {"scm", "url"}, {"scm", "connection"}
      };
      for (String[] r : required) {
        if (text(path(project, r)) == null && (inherited == null || text(path(inherited, r)) == null)) {
          problems.add(artifact + ": POM (and its parent) has no <" + String.join("/", r) + ">");
        }
      }
    }
    Document cli = poms.get("alias-cli");
    if (cli != null) {
      checkCommandDependencies(cli.getDocumentElement());
    }
    Document bom = poms.get("alias-bom");
    Document parent = poms.get("alias-parent");
    if (bom != null && parent != null) {
      checkBomLibraries(bom.getDocumentElement(), parent.getDocumentElement());
    }
  }

  /** The BOM's third-party versions are the ones the build uses (the parent's). */
  private void checkBomLibraries(Element bom, Element parent) {
    Map<String, String> built = managed(parent);
    managed(bom).forEach((id, v) -> {
      if (!id.startsWith("org.aliasdns:") && !v.equals(built.get(id))) {
        problems.add("alias-bom manages " + id + " at " + v + ", the build uses " + built.get(id));
      }
    });
  }

  /** groupId:artifactId to version in a POM's dependencyManagement, its properties filled in. */
  private static Map<String, String> managed(Element project) {
    Map<String, String> properties = new LinkedHashMap<>();
    Element props = child(project, "properties");
    if (props != null) {
      for (Node n = props.getFirstChild(); n != null; n = n.getNextSibling()) {
        if (n instanceof Element e) {
          properties.put(e.getTagName(), e.getTextContent().trim());
        }
      }
    }
    Map<String, String> versions = new LinkedHashMap<>();
    Element deps = path(project, "dependencyManagement", "dependencies");
    if (deps == null) {
      return versions;
    }
    for (Node n = deps.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element d && text(child(d, "classifier")) == null && text(child(d, "type")) == null) {
        String v = String.valueOf(text(child(d, "version")));
        if (v.startsWith("${") && v.endsWith("}")) {
          v = properties.getOrDefault(v.substring(2, v.length() - 1), v);
        }
        versions.put(text(child(d, "groupId")) + ":" + text(child(d, "artifactId")), v);
      }
    }
    return versions;
  }

  /**
   * alias-cli's classes jar is a library too (Main.run for embedding): its POM must not put the
   * testkit (only `aliasdns demo` needs it) or a logging binding on a user's class path.
   */
  private void checkCommandDependencies(Element project) {
    Element deps = child(project, "dependencies");
    if (deps == null) {
      return;
    }
    for (Node n = deps.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (!(n instanceof Element d)) {
        continue;
      }
      String id = text(child(d, "groupId")) + ":" + text(child(d, "artifactId"));
      String scope = text(child(d, "scope"));
      boolean optional = "true".equals(text(child(d, "optional")));
      boolean reachesUsers = !optional && !"test".equals(scope) && !"provided".equals(scope);
      boolean binding = id.matches("org\\.slf4j:slf4j-(nop|simple|jdk14|reload4j|log4j12|jdk-platform-logging)|ch\\.qos\\.logback:.*|org\\.apache\\.logging\\.log4j:log4j-slf4j.*");
      if (reachesUsers && (binding || id.equals("org.aliasdns:alias-testkit"))) {
        problems.add("alias-cli: POM gives library users " + id + " (make it optional)");
      }
    }
  }

  private void verifySignatures(Path key, List<String> signed) throws IOException, InterruptedException {
    Path home = Files.createTempDirectory("check-bundle-gpg");
    Path files = Files.createTempDirectory("check-bundle-files");
    try {
      Files.setPosixFilePermissions(home, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
      if (run(home, "--import", key.toString()) != 0) {
        problems.add("gpg could not import " + key);
        return;
      }
      for (String f : signed) {
        if (zip.getEntry(f + ".asc") == null) {
          continue; // reported as missing
        }
        Path data = files.resolve("file");
        Path sig = files.resolve("file.asc");
        Files.write(data, bytes(f));
        Files.write(sig, bytes(f + ".asc"));
        if (run(home, "--verify", sig.toString(), data.toString()) != 0) {
          problems.add(f + ".asc is not a good signature of " + f + " by " + key);
        }
      }
    } finally {
      new ProcessBuilder("gpgconf", "--homedir", home.toString(), "--kill", "all")
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
      deleteTree(files);
      deleteTree(home);
    }
  }

  private static int run(Path home, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("gpg", "--batch", "--quiet", "--homedir", home.toString()));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var walk = Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private byte[] bytes(String name) throws IOException {
    try (InputStream in = zip.getInputStream(zip.getEntry(name))) {
      return in.readAllBytes();
    }
  }

  private String read(String name) throws IOException {
    return new String(bytes(name), StandardCharsets.UTF_8);
  }

  private static Element child(Element e, String name) {
    for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element c && c.getTagName().equals(name)) {
        return c;
      }
    }
    return null;
  }

  private static Element path(Element e, String... names) {
    Element at = e;
    for (String name : names) {
      at = at == null ? null : child(at, name);
    }
    return at;
  }

  private static String text(Element e) {
    if (e == null) {
      return null;
    }
    String t = e.getTextContent().trim();
    return t.isEmpty() ? null : t;
  }
}
