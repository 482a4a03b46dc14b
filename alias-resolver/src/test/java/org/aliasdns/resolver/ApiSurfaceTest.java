package org.aliasdns.resolver;

import java.io.IOException;
import org.aliasdns.core.tools.ApiSurface;
import org.junit.jupiter.api.Test;

/**
 * The public API of alias-resolver, against {@code src/test/resources/api.txt}: an accidental change shows
 * up here. After an intended one: {@code ./mvnw -q -B test -pl alias-resolver -am -Dtest=ApiSurfaceTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dapi.update=true} (see {@link ApiSurface}).
 */
class ApiSurfaceTest {
  @Test
  void thePublicApiIsAsRecorded() throws IOException {
    ApiSurface.assertAsRecorded();
  }
}
