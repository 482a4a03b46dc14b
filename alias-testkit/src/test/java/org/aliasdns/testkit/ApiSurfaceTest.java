package org.aliasdns.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.aliasdns.testkit.junit.FakeDnsExtension;
import org.junit.jupiter.api.Test;

/**
 * The public API, as signatures, against {@code api.txt}: an accidental change shows up here.
 * After an intended change, copy {@code target/api.txt} over {@code src/test/resources/api.txt}.
 */
class ApiSurfaceTest {
  static final List<Class<?>> API =
      List.of(
          FakeDns.class,
          FakeDns.Builder.class,
          FakeDns.Mode.class,
          Fault.class,
          Fault.None.class,
          Dispatcher.class,
          InetAddressRoute.class,
          Fault.Delay.class,
          Fault.Drop.class,
          Fault.ResponseCode.class,
          Fault.NxDomain.class,
          Fault.NoData.class,
          Fault.Truncate.class,
          Fault.WrongId.class,
          Fault.Malformed.class,
          Fault.ExtraRecords.class,
          Fault.Answer.class,
          FaultRule.class,
          ReceivedQuery.class,
          ManualClock.class,
          FakeDnsExtension.class);

  static String surface() {
    StringBuilder sb = new StringBuilder();
    for (Class<?> c : API) {
      sb.append(Modifier.toString(c.getModifiers() & ~Modifier.STATIC))
          .append(c.isInterface() ? " " : c.isEnum() ? " enum " : c.isRecord() ? " record " : " class ")
          .append(c.getName())
          .append('\n');
      List<String> members = new ArrayList<>();
      for (Field f : c.getDeclaredFields()) {
        if (Modifier.isPublic(f.getModifiers())) {
          members.add(f.toGenericString());
        }
      }
      for (Constructor<?> k : c.getDeclaredConstructors()) {
        if (Modifier.isPublic(k.getModifiers())) {
          members.add(k.toGenericString());
        }
      }
      for (Method m : c.getDeclaredMethods()) {
        if (Modifier.isPublic(m.getModifiers()) && !m.isSynthetic()) {
          members.add(m.toGenericString());
        }
      }
      members.replaceAll(m -> m.replace("synchronized ", "")); // not part of the contract
      members.sort(null);
      members.forEach(m -> sb.append("  ").append(m).append('\n'));
    }
    return sb.toString();
  }

  @Test
  void thePublicApiIsAsRecorded() throws IOException {
    String actual = surface();
    Files.writeString(Path.of("target", "api.txt"), actual);
    String expected;
    try (InputStream in = Objects.requireNonNull(ApiSurfaceTest.class.getResourceAsStream("/api.txt"))) {
      expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    assertThat(actual).isEqualTo(expected);
  }
}
