package org.aliasdns.cli;

import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads a domain name option or parameter; a name without a final dot is taken as absolute. */
final class NameConverter implements ITypeConverter<Name> {
  @Override
  public Name convert(String value) {
    try {
      return Name.fromString(value, Name.root);
    } catch (TextParseException e) {
      throw new TypeConversionException("'" + value + "' is not a domain name: " + e.getMessage());
    }
  }
}
