package org.aliasdns.core.check;

import org.aliasdns.core.AliasRecord;
import org.aliasdns.core.RecordSet;
import org.aliasdns.core.Zone;
import org.aliasdns.core.internal.ZoneIndex;
import org.aliasdns.core.zonefile.ZoneFile;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.DNAMERecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * Checks a zone against the {@link Rule} catalogue.
 *
 * <p>A check makes one pass over the zone's names plus a memoized walk of its CNAME, DNAME and
 * alias chains, so it takes time roughly linear in the size of the zone. Names are compared
 * ignoring case (RFC 4343).
 *
 * <p>Instances are immutable and thread-safe. A check runs on the calling thread unless {@link
 * #withExecutor(Executor)} gives it more.
 *
 * @since 0.1
 */
public final class ZoneValidator {
  /** The default limit on in-zone chain length, as in dnsjava and Netty. */
  public static final int DEFAULT_CHAIN_LIMIT = 16;

  /** Target owners per task when the checks after the name pass are spread over threads. */
  private static final int TARGETS_PER_TASK = 16_384;
  /** The fewest names in a part of the name pass run on its own core. */
  private static final int NAMES_PER_PART = 65_536;

  private static final Executor CALLER = Runnable::run;

  private static final ZoneValidator DEFAULT =
      new ZoneValidator(DEFAULT_CHAIN_LIMIT, CALLER, defaultRules());

  private final int chainLimit;
  private final Executor executor;
  private final Set<Rule> rules;

  private ZoneValidator(int chainLimit, Executor executor, Set<Rule> rules) {
    this.chainLimit = chainLimit;
    this.executor = executor;
    this.rules = rules;
  }

  private static Set<Rule> defaultRules() {
    Set<Rule> on = EnumSet.allOf(Rule.class);
    on.removeIf(r -> r.severity() == Severity.INFO);
    return Collections.unmodifiableSet(on);
  }

  /**
   * Returns the validator with every rule of severity error or warning on, the suggestions
   * ({@link Severity#INFO}) off, and a chain limit of {@value #DEFAULT_CHAIN_LIMIT}.
   *
   * @return the default validator
   */
  public static ZoneValidator defaults() {
    return DEFAULT;
  }

  /**
   * Returns a copy with one rule switched on or off. A rule that is off adds no findings, also
   * none of those the zone-file reader makes ({@link Rule#OUT_OF_ZONE}, {@link
   * Rule#RRSET_TTL_MISMATCH}, {@link Rule#TTL_ABOVE_MAX}).
   *
   * @param rule the rule
   * @param on true to report its findings, false to leave them out
   * @return the new validator
   * @since 0.2
   */
  public ZoneValidator withRule(Rule rule, boolean on) {
    Set<Rule> next = EnumSet.noneOf(Rule.class);
    next.addAll(rules);
    if (on) {
      next.add(Objects.requireNonNull(rule, "rule"));
    } else {
      next.remove(Objects.requireNonNull(rule, "rule"));
    }
    return new ZoneValidator(chainLimit, executor, Collections.unmodifiableSet(next));
  }

  /**
   * Tells whether a rule is on.
   *
   * @param rule the rule
   * @return true if the validator reports its findings
   * @since 0.2
   */
  public boolean isOn(Rule rule) {
    return rules.contains(rule);
  }

  /**
   * Returns a copy with another chain limit.
   *
   * @param limit the most CNAME/DNAME/alias hops an in-zone chain may have, at least 1
   * @return the new validator
   * @throws IllegalArgumentException if the limit is below 1
   */
  public ZoneValidator withChainLimit(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("chain limit must be at least 1: " + limit);
    }
    return new ZoneValidator(limit, executor, rules);
  }

  /**
   * Returns a copy that runs the checks of MX/NS/SRV targets and of CNAME, DNAME and alias
   * chains, which are independent of each other once one pass over the names has gathered what
   * they need, as tasks on an executor (the calling thread works through them too). The
   * findings, and so the report, are the same as without one. By default a check runs on the
   * calling thread alone: this module starts no threads.
   *
   * @param tasks the executor, such as {@link java.util.concurrent.ForkJoinPool#commonPool()}
   * @return the new validator
   */
  public ZoneValidator withExecutor(Executor tasks) {
    return new ZoneValidator(chainLimit, Objects.requireNonNull(tasks, "tasks"), rules);
  }

  /**
   * Returns the chain limit.
   *
   * @return the most hops an in-zone chain may have
   */
  public int chainLimit() {
    return chainLimit;
  }

  /**
   * Checks a zone.
   *
   * @param zone the zone
   * @return the findings, without source positions, in the report's stable order
   */
  public ValidationReport validate(Zone zone) {
    List<Finding> findings = new ArrayList<>();
    Name origin = zone.origin();
    if (zone.soa().isEmpty()) {
      findings.add(Finding.of(Rule.MISSING_SOA, origin, "zone has no SOA record at its origin"));
    }
    if (zone.get(origin, Type.NS).isEmpty()) {
      findings.add(Finding.of(Rule.MISSING_NS, origin, "zone has no NS records at its origin"));
    }
    NamePass pass = namePass(zone, findings);
    List<Name> names = pass.names;
    // The same look-up that answers queries and resolves in-zone alias targets (ZoneIndex),
    // here with nodes made on demand, so a zone of millions of names is not indexed twice.
    ZoneIndex lookup = ZoneIndex.of(zone, names, pass.delegations, pass.dnames, pass.wildcards);
    // Targets may point forward in canonical order, so they wait until the pass has seen every
    // delegation and DNAME. Target and chain checks only read the zone and what the pass
    // gathered: each task fills its own list, and the lists are joined in a fixed order.
    List<List<Finding>> parts = new ArrayList<>();
    List<Runnable> tasks = new ArrayList<>();
    List<Finding> chains = new ArrayList<>();
    tasks.add(() -> new ChainRules(lookup, chainLimit).check(pass.chainStarts, chains));
    int targets = pass.targetOwners.size();
    for (int from = 0; from < targets; from += TARGETS_PER_TASK) {
      int start = from;
      int end = Math.min(targets, from + TARGETS_PER_TASK);
      List<Finding> part = new ArrayList<>();
      parts.add(part);
      tasks.add(
          () -> {
            for (int i = start; i < end; i++) {
              Name owner = pass.targetOwners.get(i);
              TargetRules.check(
                  owner, pass.targetSets.get(i), lookup, pass.occluded.contains(owner), part);
            }
          });
    }
    List<Finding> aliasFindings = new ArrayList<>();
    tasks.add(
        () -> {
          AliasTargetRules aliases = new AliasTargetRules(lookup, chainLimit);
          for (Name owner : pass.aliasOwners) {
            ZoneIndex.Node node = lookup.node(owner);
            if (node != null) {
              aliases.check(owner, node, aliasFindings);
            }
          }
        });
    List<Finding> svcbFindings = new ArrayList<>();
    tasks.add(
        () -> {
          SvcbRules svcb = new SvcbRules(lookup, chainLimit);
          svcb.checkChains(pass.svcbSets, svcbFindings);
          for (RecordSet set : pass.svcbSets) {
            svcb.checkTargets(set.owner(), set, svcbFindings);
          }
        });
    run(tasks);
    parts.forEach(findings::addAll);
    findings.addAll(chains);
    findings.addAll(aliasFindings);
    findings.addAll(svcbFindings);
    if (rules.size() < Rule.values().length) {
      findings.removeIf(f -> !rules.contains(f.rule()));
    }
    return new ValidationReport(findings);
  }

  /**
   * The pass over every name, on the calling thread, or with an executor and a large zone, in
   * parts of the canonical order on every core, joined in order: each part starts in the state
   * the pass would be in at its first name (the topmost DNAME and cut above it), so the
   * findings and what is gathered are the same.
   */
  private NamePass namePass(Zone zone, List<Finding> findings) {
    Name origin = zone.origin();
    int count = zone.nameCount();
    int parts =
        executor == CALLER
            ? 1
            : (int) Math.min(Runtime.getRuntime().availableProcessors(), count / NAMES_PER_PART);
    if (parts <= 1) {
      NamePass pass = new NamePass(origin, findings);
      zone.forEachName(pass::checkAndKeep);
      return pass;
    }
    NamePass[] passes = new NamePass[parts];
    List<Runnable> tasks = new ArrayList<>(parts);
    for (int p = 0; p < parts; p++) {
      int from = (int) ((long) count * p / parts);
      int to = (int) ((long) count * (p + 1) / parts);
      NamePass pass = new NamePass(origin, p == 0 ? findings : new ArrayList<>());
      passes[p] = pass;
      tasks.add(
          () -> {
            if (from > 0) {
              zone.forEachName(from, from + 1, (first, sets) -> pass.startAbove(zone, first));
            }
            zone.forEachName(from, to, pass::checkAndKeep);
          });
    }
    run(tasks);
    NamePass all = passes[0];
    for (int p = 1; p < parts; p++) {
      all.join(passes[p]);
    }
    return all;
  }

  /**
   * Runs the tasks, in order, on the calling thread and on as many of the executor's threads as
   * there are cores to spare; returns when all have run. A task is taken by whichever thread
   * gets to it first, so a busy executor delays nothing: the caller then runs them all.
   */
  private void run(List<Runnable> tasks) {
    AtomicInteger next = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(tasks.size());
    AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
    Runnable worker =
        () -> {
          for (int i; (i = next.getAndIncrement()) < tasks.size(); ) {
            try {
              tasks.get(i).run();
            } catch (RuntimeException | Error e) {
              failure.compareAndSet(null, e);
            } finally {
              done.countDown();
            }
          }
        };
    if (executor != CALLER) {
      int helpers = Math.min(tasks.size() - 1, Runtime.getRuntime().availableProcessors() - 1);
      for (int h = 0; h < helpers; h++) {
        executor.execute(worker);
      }
    }
    worker.run();
    boolean interrupted = false;
    while (true) {
      try {
        done.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true; // the tasks are short and already running: finish, then say so
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    Throwable t = failure.get();
    if (t instanceof RuntimeException r) {
      throw r;
    } else if (t instanceof Error err) {
      throw err;
    }
  }

  /**
   * Checks a zone read from a file. The reader's own findings ({@link Rule#OUT_OF_ZONE}, {@link
   * Rule#RRSET_TTL_MISMATCH}, {@link Rule#TTL_ABOVE_MAX}) are included, and every finding carries the source position of
   * the RRset it concerns (or of the first record at its owner name, when it concerns the name
   * as a whole or that RRset was not read).
   *
   * @param file the zone file
   * @return the findings, in the report's stable order
   */
  public ValidationReport validate(ZoneFile file) {
    List<Finding> findings = new ArrayList<>();
    for (Finding f : file.findings()) {
      if (rules.contains(f.rule())) {
        findings.add(f);
      }
    }
    for (Finding f : validate(file.zone()).findings()) {
      if (f.position() != null) {
        findings.add(f);
        continue;
      }
      var where = f.type() == 0 ? file.position(f.owner()) : file.position(f.owner(), f.type());
      if (where.isEmpty()) {
        where = file.position(f.owner());
      }
      findings.add(f.at(where.orElse(null)));
    }
    return new ValidationReport(findings);
  }

  /**
   * The per-name rules, applied to each name's RRsets in canonical order (RFC 4034 §6.1), which
   * also gathers what later checks need. In that order a name's descendants follow it
   * directly, so the DNAME or delegation above a name is simply the last one whose subtree the
   * pass is still in: no ancestor look-ups.
   */
  private static final class NamePass {
    final Name origin;
    final List<Finding> findings;
    /** Every name seen, in canonical order. */
    final List<Name> names = new ArrayList<>();
    final List<Name> chainStarts = new ArrayList<>();
    /** Owners of alias records whose data is authoritative (not at or below a cut or DNAME). */
    final List<Name> aliasOwners = new ArrayList<>();
    final List<Name> targetOwners = new ArrayList<>();
    /** SVCB and HTTPS RRsets whose data is authoritative, for the TargetName checks. */
    final List<RecordSet> svcbSets = new ArrayList<>();
    final List<List<RecordSet>> targetSets = new ArrayList<>();
    final Set<Name> occluded = new HashSet<>();
    final Set<Name> delegations = new HashSet<>();
    final Map<Name, DNAMERecord> dnames = new HashMap<>();
    final OwnerNameSyntax syntax = new OwnerNameSyntax();
    boolean wildcards;
    @Nullable Name dnameRoot;
    @Nullable Name cutRoot;

    NamePass(Name origin, List<Finding> findings) {
      this.origin = origin;
      this.findings = findings;
    }

    /**
     * Puts a pass that starts at this name in the state a pass over every name before it would
     * be in: the topmost DNAME, and the topmost DNAME or delegation, strictly above it.
     */
    void startAbove(Zone zone, Name first) {
      for (int strip = first.labels() - origin.labels(); strip >= 1; strip--) {
        Name above = new Name(first, strip);
        boolean dname = zone.get(above, Type.DNAME).isPresent();
        boolean cut = dname || (strip < first.labels() - origin.labels()
            && zone.get(above, Type.NS).isPresent());
        if (dnameRoot == null && dname) {
          dnameRoot = above;
        }
        if (cutRoot == null && cut) {
          cutRoot = above;
        }
      }
    }

    /** Adds what a pass over the names after this one's gathered, after this one's. */
    void join(NamePass next) {
      findings.addAll(next.findings);
      names.addAll(next.names);
      chainStarts.addAll(next.chainStarts);
      aliasOwners.addAll(next.aliasOwners);
      targetOwners.addAll(next.targetOwners);
      svcbSets.addAll(next.svcbSets);
      targetSets.addAll(next.targetSets);
      occluded.addAll(next.occluded);
      delegations.addAll(next.delegations);
      dnames.putAll(next.dnames);
      wildcards |= next.wildcards;
    }

    void checkAndKeep(Name name, List<RecordSet> sets) {
      names.add(name);
      check(name, sets);
    }

    void check(Name name, List<RecordSet> sets) {
      if (dnameRoot != null && !name.subdomain(dnameRoot)) {
        dnameRoot = null;
      }
      if (cutRoot != null && !name.subdomain(cutRoot)) {
        cutRoot = null;
      }
      NameRules.check(name, sets, origin, dnameRoot, syntax, findings);
      wildcards |= name.isWild();
      boolean apex = name == origin || name.equals(origin);
      boolean chain = false;
      boolean alias = false;
      boolean targets = false;
      boolean dname = false;
      boolean delegation = false;
      boolean https = false;
      @Nullable List<RecordSet> svcb = null;
      for (RecordSet set : sets) {
        int type = set.type();
        if (SvcbRules.isSvcbType(type)) {
          SvcbRules.checkRecords(name, set, findings);
          https |= type == Type.HTTPS;
          if (svcb == null) {
            svcb = new ArrayList<>(2);
          }
          svcb.add(set);
        }
        if (type == Type.DNAME) {
          dnames.put(name, (DNAMERecord) set.first());
          dname = true;
        } else if (type == Type.NS && !apex) {
          delegations.add(name);
          delegation = true;
        }
        alias |= AliasRecord.isAliasType(type);
        chain |= type == Type.CNAME || AliasRecord.isAliasType(type);
        targets |= type == Type.MX || type == Type.NS || type == Type.SRV || type == Type.SOA;
      }
      if (chain) {
        chainStarts.add(name);
      }
      if (alias && cutRoot == null && !delegation) {
        aliasOwners.add(name);
      } else if (alias && dnameRoot == null) {
        // RFC 1034 §4.2.1: at or below a cut the alias is occluded, never answered from this
        // zone (a referral is): the flattener skips it. Below a DNAME, data-below-dname says so.
        Name cut = delegation && cutRoot == null ? name : Objects.requireNonNull(cutRoot);
        for (RecordSet set : sets) {
          if (AliasRecord.isAliasType(set.type())) {
            findings.add(
                Finding.of(
                    Rule.ALIAS_BELOW_DELEGATION,
                    name,
                    set.type(),
                    "occluded by the delegation at " + cut
                        + ": never answered from this zone, so not flattened"));
            break;
          }
        }
      }
      if (svcb != null && cutRoot == null && !delegation) {
        svcbSets.addAll(svcb);
      }
      if (apex && alias && !https) {
        // RFC 9460 §10.4.2: HTTPS AliasMode is the standard apex alias for clients that ask.
        for (RecordSet set : sets) {
          if (!(set.first() instanceof AliasRecord first)) {
            continue;
          }
          Name target = first.getTarget();
          findings.add(
              Finding.of(
                  Rule.APEX_ALIAS_WITHOUT_HTTPS,
                  name,
                  set.type(),
                  "clients that ask for HTTPS records would follow \"@ HTTPS 0 " + target
                      + "\" to the target's own; the flattened A/AAAA serve the others"));
          break;
        }
      }
      if (targets) {
        // Data below a delegation or DNAME is not served as authoritative: BIND does not check
        // its targets, and neither do we (beyond host-name syntax).
        targetOwners.add(name);
        targetSets.add(sets);
        if (cutRoot != null) {
          occluded.add(name);
        }
      }
      if (dnameRoot == null && dname) {
        dnameRoot = name;
      }
      if (cutRoot == null && (dname || delegation)) {
        cutRoot = name;
      }
    }
  }
}
