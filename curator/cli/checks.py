"""Commands that look for problems: check (and accepting findings), compare."""

from __future__ import annotations

import argparse
import gc
import json
from pathlib import Path
from typing import Any

from curator.cli.common import EXIT_OK, EXIT_PROBLEMS, reviewer, shown
from curator.errors import CuratorError


def cmd_check(args: argparse.Namespace) -> int:
    from curator.checks import RULES, exit_status, format_findings_text, run_checks, split_accepted
    from curator.services.sources import is_database, is_server_url, read_source

    if args.list_rules:
        for rule in RULES:
            print(f"{rule.id:22} {rule.severity:8} {rule.description}")
        return EXIT_OK
    known = {rule.id for rule in RULES}
    for rule_id in args.rule or []:
        if rule_id not in known:
            raise CuratorError(f"--rule {rule_id!r}: no such rule (see `curator check --list-rules`)")
    if args.accept and not args.reason:
        raise CuratorError("--accept needs --reason: say why the finding is acceptable")
    if args.reason and not args.accept:
        raise CuratorError("--reason goes with --accept FINDING")
    review = read_source(args.review)
    # The loaded review lives until the process ends: keep the garbage
    # collector from walking it again and again while the rules run.
    gc.freeze()
    findings = run_checks(review, rules=args.rule, min_severity=args.severity)
    open_findings, accepted = split_accepted(findings, review.accepted_findings)
    if args.accept:
        return _accept(args, open_findings + [f for f, _ in accepted])
    if args.format == "json":
        out = [f.to_json() for f in open_findings]
        if args.with_accepted:
            for finding, acceptance in accepted:
                item = finding.to_json()
                item["accepted"] = {"reason": acceptance.reason, "by": acceptance.by, "at": acceptance.at}
                out.append(item)
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        print(format_findings_text(open_findings, accepted), end="")
        if open_findings and args.review is not None and (is_server_url(args.review) or is_database(Path(args.review))):
            print(f'\nTo accept a finding: curator check {shown(args.review)} --accept FINDING --reason "why"')
    return exit_status(open_findings)


def _accept(args: argparse.Namespace, findings: list[Any]) -> int:
    from curator.checks.locators import locator_of, parse_locator, select_findings
    from curator.services import ReviewService

    with ReviewService.open_existing(args.review, reviewer(args), what="an accepted finding") as review:
        chosen = select_findings(findings, [parse_locator(text) for text in args.accept])
        review.findings.accept(chosen, args.reason)
    for finding in chosen:
        print(f"Accepted {locator_of(finding)}: {finding.message}")
    return EXIT_OK


def cmd_compare(args: argparse.Namespace) -> int:
    from curator.compare import compare_reviews, format_differences_text
    from curator.services.sources import read_source

    a, b = read_source(args.a), read_source(args.b)  # files, or team reviews' URLs
    differences = compare_reviews(a, b)
    if args.format == "json":
        print(json.dumps([d.to_json() for d in differences], ensure_ascii=False, indent=2))
    else:
        print(format_differences_text(differences, str(shown(args.a)), str(shown(args.b))), end="")
    return EXIT_PROBLEMS if differences else EXIT_OK
