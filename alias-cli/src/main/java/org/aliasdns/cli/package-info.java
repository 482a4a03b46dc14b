/** The {@code alias} command line: one class per subcommand, {@link org.aliasdns.cli.Main} to run. */
@NullMarked
package org.aliasdns.cli;

import org.jspecify.annotations.NullMarked;
