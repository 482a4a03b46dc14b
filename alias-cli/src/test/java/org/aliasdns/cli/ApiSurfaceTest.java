package org.aliasdns.cli;

import java.io.IOException;
import org.aliasdns.core.tools.ApiSurface;
import org.junit.jupiter.api.Test;

/**
 * The public API of alias-cli, against {@code src/test/resources/api.txt}: an accidental change shows
 * up here. After an intended one: {@code ./mvnw -q -B test -pl alias-cli -am -Dtest=ApiSurfaceTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dapi.update=true} (see {@link ApiSurface}).
 */
class ApiSurfaceTest {
  @Test
  void thePublicApiIsAsRecorded() throws IOException {
    ApiSurface.assertAsRecorded();
  }
}
