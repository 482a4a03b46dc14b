package org.aliasdns.core.flatten;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SerialNumberTest {
  @Test
  void nextAddsOne() {
    assertThat(SerialNumber.next(2026010100L)).isEqualTo(2026010101L);
  }

  @Test
  void nextWrapsFromTheLargestSerialToZero() {
    assertThat(SerialNumber.next(4294967295L)).isZero();
  }

  @Test
  void aLargerSerialWithinHalfTheSpaceIsGreater() {
    assertThat(SerialNumber.isGreater(101, 100)).isTrue();
    assertThat(SerialNumber.isGreater(100, 101)).isFalse();
    assertThat(SerialNumber.isGreater(100, 100)).isFalse();
  }

  @Test
  void zeroIsGreaterThanTheLargestSerial() {
    assertThat(SerialNumber.isGreater(0, 4294967295L)).isTrue();
    assertThat(SerialNumber.isGreater(4294967295L, 0)).isFalse();
  }

  @Test
  void serialsExactlyHalfTheSpaceApartAreNotComparable() {
    long half = 1L << 31;
    assertThat(SerialNumber.isGreater(half, 0)).isFalse();
    assertThat(SerialNumber.isGreater(0, half)).isFalse();
  }

  @Test
  void aSerialOutsideThirtyTwoBitsIsRefused() {
    assertThatThrownBy(() -> SerialNumber.next(1L << 32))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SerialNumber.isGreater(-1, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
