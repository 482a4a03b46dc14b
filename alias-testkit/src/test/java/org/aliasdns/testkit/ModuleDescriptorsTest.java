package org.aliasdns.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The testkit's two module descriptors, as compiled: the JDK 17 one ({@code module-info.class})
 * and the one JDK 18 and later read from the multi-release jar ({@code
 * META-INF/versions/18/module-info.class}), which must be the same module plus the resolver
 * provider. Skipped, with the reason, when the build ran on JDK 17 (no versioned descriptor).
 */
class ModuleDescriptorsTest {
  private static final String SPI = "java.net.spi.InetAddressResolverProvider";
  private static final String PROVIDER =
      "org.aliasdns.testkit.internal.TestkitInetAddressResolverProvider";

  private static Path classes() throws URISyntaxException {
    return Path.of(FakeDns.class.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  private static ModuleDescriptor read(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return ModuleDescriptor.read(in);
    }
  }

  private static ModuleDescriptor versioned() throws Exception {
    Path file = classes().resolve("META-INF/versions/18/module-info.class");
    assumeTrue(
        Files.exists(file),
        "built on JDK " + Runtime.version().feature() + ": no JDK 18 module descriptor");
    return read(file);
  }

  /** Each module required and how; not the version of java.base compiled against (17, 18). */
  private static Set<String> requires(ModuleDescriptor d) {
    return d.requires().stream()
        .map(r -> r.name() + " " + r.modifiers())
        .collect(Collectors.toSet());
  }

  @Test
  void theJdk18DescriptorRegistersTheResolverProvider() throws Exception {
    ModuleDescriptor v18 = versioned();

    assertThat(v18.provides())
        .singleElement()
        .satisfies(p -> {
          assertThat(p.service()).isEqualTo(SPI);
          assertThat(p.providers()).containsExactly(PROVIDER);
        });
    assertThat(v18.uses()).containsExactly(SPI);
  }

  @Test
  void theJdk18DescriptorIsTheSameModuleOtherwise() throws Exception {
    ModuleDescriptor v18 = versioned();
    ModuleDescriptor v17 = read(classes().resolve("module-info.class"));

    assertThat(v17.provides()).isEmpty();
    assertThat(v17.uses()).isEmpty();
    assertThat(v18.name()).isEqualTo(v17.name());
    assertThat(requires(v18)).isEqualTo(requires(v17));
    assertThat(v18.exports()).isEqualTo(v17.exports());
    assertThat(v18.opens()).isEqualTo(v17.opens());
    assertThat(v18.modifiers()).isEqualTo(v17.modifiers());
  }
}
