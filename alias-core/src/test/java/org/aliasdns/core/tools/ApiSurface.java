package org.aliasdns.core.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * A module's public API as text, one line per public class and per public or protected member,
 * compared with the module's checked-in {@code src/test/resources/api.txt}: an accidental change
 * to the API shows up as a failing test, an intended one as a diff in review.
 *
 * <p>The API is every public class (nested ones included) of the packages that the module's
 * {@code module-info} exports to everyone, as compiled in {@code target/classes}. After an
 * intended change, regenerate the file with one command from the top of the checkout:
 *
 * <pre>
 * ./mvnw -q -B test -pl MODULE -am -Dtest=ApiSurfaceTest -Dsurefire.failIfNoSpecifiedTests=false -Dapi.update=true
 * </pre>
 *
 * <p>Once a release exists, japicmp compares the built jars with it in {@code verify} as well
 * (see the parent POM); this file is the check of the API's shape between releases.
 */
public final class ApiSurface {
  /** The system property that makes the test write the file instead of comparing. */
  public static final String UPDATE = "api.update";

  private static final Path CLASSES = Path.of("target", "classes");
  private static final Path RECORDED = Path.of("src", "test", "resources", "api.txt");

  private ApiSurface() {}

  /**
   * Compares the module's API (run from the module's directory, as Maven runs tests) with
   * {@code src/test/resources/api.txt}, or rewrites that file when {@code -Dapi.update=true}.
   * The current surface is also written to {@code target/api.txt}.
   *
   * @throws IOException if the classes or the file cannot be read
   */
  public static void assertAsRecorded() throws IOException {
    String actual = describe(CLASSES);
    Files.writeString(Path.of("target", "api.txt"), actual);
    if (Boolean.getBoolean(UPDATE)) {
      Files.createDirectories(RECORDED.getParent());
      Files.writeString(RECORDED, actual);
      System.out.println("api: wrote " + RECORDED.toAbsolutePath() + "; review the diff");
      return;
    }
    String expected = Files.exists(RECORDED) ? Files.readString(RECORDED) : "";
    assertThat(actual)
        .as("public API of %s differs from %s; if intended, rerun with -D%s=true (see ApiSurface)",
            CLASSES.toAbsolutePath(), RECORDED, UPDATE)
        .isEqualTo(expected);
  }

  /**
   * Describes the API of the compiled classes in a directory that holds a {@code
   * module-info.class}.
   *
   * @param classes the class output directory
   * @return the description, sorted, one class or member per line
   * @throws IOException if the directory cannot be read
   */
  public static String describe(Path classes) throws IOException {
    ModuleDescriptor module;
    try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
      module = ModuleDescriptor.read(in);
    }
    List<String> packages = new ArrayList<>();
    for (ModuleDescriptor.Exports e : module.exports()) {
      if (!e.isQualified()) {
        packages.add(e.source());
      }
    }
    TreeSet<String> classNames = new TreeSet<>();
    for (String pkg : packages) {
      Path dir = classes.resolve(pkg.replace('.', '/'));
      try (Stream<Path> files = Files.list(dir)) {
        files
            .map(p -> p.getFileName().toString())
            .filter(n -> n.endsWith(".class") && !n.equals("package-info.class"))
            .forEach(n -> classNames.add(pkg + "." + n.substring(0, n.length() - ".class".length())));
      }
    }
    StringBuilder sb = new StringBuilder();
    for (String name : classNames) {
      Class<?> c;
      try {
        c = Class.forName(name, false, ApiSurface.class.getClassLoader());
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException("compiled but not loadable: " + name, e);
      }
      if (!isApi(c)) {
        continue;
      }
      sb.append(Modifier.toString(c.getModifiers() & ~Modifier.STATIC & ~Modifier.INTERFACE))
          .append(
              c.isAnnotation()
                  ? " @interface "
                  : c.isInterface()
                      ? " interface "
                      : c.isEnum() ? " enum " : c.isRecord() ? " record " : " class ")
          .append(c.getName())
          .append('\n');
      List<String> members = new ArrayList<>();
      for (Field f : c.getDeclaredFields()) {
        if (visible(c, f)) {
          members.add(f.toGenericString());
        }
      }
      for (Constructor<?> k : c.getDeclaredConstructors()) {
        if (visible(c, k)) {
          members.add(k.toGenericString());
        }
      }
      for (Method m : c.getDeclaredMethods()) {
        if (visible(c, m) && !m.isBridge()) {
          members.add(m.toGenericString());
        }
      }
      members.replaceAll(m -> m.replace("synchronized ", "")); // not part of the contract
      members.sort(null);
      members.forEach(m -> sb.append("  ").append(m).append('\n'));
    }
    return sb.toString();
  }

  /** A public class whose enclosing classes are public too, and not anonymous or local. */
  private static boolean isApi(Class<?> c) {
    for (Class<?> at = c; at != null; at = at.getEnclosingClass()) {
      if (!Modifier.isPublic(at.getModifiers()) || at.isAnonymousClass() || at.isLocalClass()) {
        return false;
      }
    }
    return !c.isSynthetic();
  }

  /** Public members, and protected ones where a subclass outside the module can see them. */
  private static boolean visible(Class<?> owner, Member m) {
    int mod = m.getModifiers();
    if (m.isSynthetic()) {
      return false;
    }
    return Modifier.isPublic(mod)
        || (Modifier.isProtected(mod) && !Modifier.isFinal(owner.getModifiers()) && !owner.isEnum());
  }
}
