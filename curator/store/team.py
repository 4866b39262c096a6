"""A team review on PostgreSQL: the reviewers' roles, and the database enforcing the workflow.

:func:`install` turns a Curator review database on a PostgreSQL server into a team review; the
rules below live in the database (grants, row-level security, triggers), so that a client that
skips Curator (``psql``, a script with psycopg) is held by them as Curator is.

Roles. PostgreSQL's roles are the cluster's, not one database's, so each review has four group
roles of its own, named after its database (``<database>_extractor``, ``_verifier``,
``_adjudicator``, ``_admin``; :func:`group_role`), recorded in ``curator_team``. A reviewer is a
login role (her password is hers: Curator hashes it on the client as SCRAM-SHA-256, so the
password itself never reaches the server, its logs or the command line) made a member of one group.
An administrator adds reviewers through ``curator_add_reviewer``, a function that runs as the
review's owner: an administrator needs no right to create roles on the whole server, and only what
the function does (a login role, one of this review's groups) can be done with it.

What each group may do (grants decide which statements a role may run at all; row-level security
and the triggers decide on which rows and with which values):

* extractors enter rows (``endpoint_row``, its citations and evidence, comparisons, references,
  documents); only the one who entered a row changes its values; others change its status only, by
  verifying;
* verifiers and adjudicators read every row, and correct values (a correction is a verification);
  they never insert or delete a row;
* nobody verifies or disputes a field of a row they entered: the row's ``entered_by`` column (added
  by :func:`install`, filled with ``current_user`` by a trigger, never changed) is the server's own
  record of who entered it, whatever a client writes in ``extracted_by``. ``field_verification``'s
  trigger refuses a ``verified`` or ``disputed`` state by the row's enterer, and the row's trigger a
  ``verified`` status set by her; ``by`` and ``at`` are set to ``current_user`` and the server's
  clock;
* blind double entry: while the review is blind (``curator_team.blind``, on by default) an extractor
  reads only the rows she entered and the rows she has submitted her own blind entry of
  (``blind_entry``: a row's id and who, inserted before the comparison, see
  :func:`submit_blind_entry`); the rows' citations, evidence, verifications, adjudication items and
  their audit entries are hidden alike. ``row_identity`` (a view: comparison, position, endpoint,
  who entered it; no values) lets her name the row she is to enter. The first extractor has
  submitted when her row is there (Curator has no other "submitted" mark: a row's status follows
  its verifications), so "both have submitted" is the second's ``blind_entry``;
* only adjudicators decide: ``UPDATE`` on ``adjudication_item`` is theirs alone, an item is opened
  undecided by anyone, decided once, by an adjudicator who entered neither value nor the row;
* administrators add reviewers and edit the review's title and description.

The audit log. Curator's services write their entries as they always have (one write, its entries,
one transaction: :class:`~curator.store.audit.Audit`), because their entries say what a change
means in Curator's words (the field as the form names it, a whole row's snapshot, ``verify``,
``adjudicate``...). On the server a ``BEFORE INSERT`` trigger on ``audit_log`` then overwrites what a
client could lie about: ``who`` becomes ``current_user``, ``at`` the server's clock (never earlier
than the last entry), and ``id``, ``prev_hash`` and ``hash`` are those of the next link of the chain,
computed under a lock that queues the writers of entries (the same :func:`~curator.store.audit.entry_hash`
definition, with PostgreSQL's ``sha256``: ``curator log --verify`` checks a team review as a file).
A change made without Curator is audited too: a deferred trigger on each data table looks, at
commit, for an entry of the same transaction about the changed row (the row itself, or the
endpoint row a citation, evidence, verification or item belongs to); if there is none it writes
the row's snapshot (``sql-insert``, ``sql-delete``) or each changed column (``sql-update``) itself,
so the server's entry names the role and the time, says the change came from outside Curator, and
Curator's writes are never audited twice (the ``sql-`` entries of the transaction do not count as
its own: a client writing some cannot make the server skip one). Chosen over triggers
alone (they cannot word an entry as Curator does, and Curator's history reads those words) and over
a flag a client sets to say "Curator audits this" (anyone can set a flag).
Nobody changes or deletes an entry: the groups have ``SELECT`` and ``INSERT`` only, and the
statement trigger of :data:`~curator.store.triggers.AUDIT_POSTGRESQL` refuses ``UPDATE`` and
``DELETE`` to every role; only the owner (or a superuser) can drop the triggers, and then the chain
tells.

A reviewer works as herself: the triggers refuse work done under a role she switched to with
``SET ROLE`` (her group's, say: a row entered so would not be hers, and she could then verify it);
and every function names the review's own tables first (``search_path`` set on each), so that a
temporary table called ``audit_log`` cannot catch the server's entries.

Limits: a blinded extractor's ``log --verify`` sees only her part of the chain (verify as a verifier
or an administrator); an entry a client writes itself still says what the client says (only who,
when and its place in the chain are the server's); a table a later migration adds needs its grant
decision in :data:`WRITES` (a team review is not made while a table of the schema has none, and a
test holds the metadata and the server to it; :func:`regrant` gives the decided grants again after an
upgrade) and, if it holds a row's parts, its policies here too.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Final

from sqlalchemy import Connection

from curator.store.database import WRITE_LOCK

__all__ = [
    "ROLES",
    "Reviewer",
    "TeamError",
    "group_role",
    "install",
    "is_team",
    "add_reviewer",
    "reviewers",
    "submit_blind_entry",
    "encrypt_password",
]

#: The roles a reviewer can have, in the order the commands list them.
ROLES: Final = ("extractor", "verifier", "adjudicator", "admin")
#: The longest name PostgreSQL keeps (bytes).
NAME_MAX: Final = 63
#: The advisory lock the writers of audit entries queue on: the one Curator's write transactions take
#: first (so a Curator writer, holding it, takes it again at once; a raw client queues behind them).
AUDIT_LOCK: Final = WRITE_LOCK
#: The tables of the review's content: audited by the server when a change comes without an entry.
DATA_TABLES: Final = (
    "review",
    "reference",
    "comparison",
    "endpoint_row",
    "citation",
    "document",
    "document_blob",
    "evidence",
    "accepted_finding",
    "field_verification",
    "adjudication_item",
    "blind_entry",
)
#: Tables whose rows belong to an endpoint row (``row_id``): hidden with it, audited under it.
ROW_PARTS: Final = ("citation", "evidence", "field_verification", "adjudication_item")
#: The tables a team review adds to the review's schema (:func:`install`), beside Alembic's own.
TEAM_TABLES: Final = ("curator_team", "blind_entry", "alembic_version")
_ENTER: Final = "INSERT, UPDATE, DELETE"
#: What each group may write in each table of a team review: table -> role -> privileges (every group reads
#: every table, row-level security and the triggers deciding which rows and values; ``{}``: read only). Every
#: table of the schema has a decision here, a table of :data:`curator.store.models.metadata` or of
#: :data:`TEAM_TABLES`: :func:`grant_statements` refuses to make a team review while one has none, so a table a
#: later migration adds cannot be left silently out of the reviewers' reach (nor open to them).
WRITES: Final[dict[str, dict[str, str]]] = {
    "review": {"admin": "INSERT, UPDATE"},
    "reference": {"extractor": _ENTER},
    "comparison": {"extractor": _ENTER},
    "endpoint_row": {"extractor": _ENTER, "verifier": "UPDATE", "adjudicator": "UPDATE"},
    "document": {"extractor": _ENTER},
    "document_blob": {"extractor": _ENTER},
    "citation": {"extractor": _ENTER, "verifier": _ENTER, "adjudicator": _ENTER},
    "evidence": {"extractor": _ENTER, "verifier": _ENTER, "adjudicator": _ENTER},
    "accepted_finding": {"extractor": _ENTER, "verifier": _ENTER, "adjudicator": _ENTER},
    "field_verification": {
        "extractor": "INSERT, UPDATE",
        "verifier": "INSERT, UPDATE",
        "adjudicator": "INSERT, UPDATE",
    },
    "adjudication_item": {"extractor": "INSERT", "verifier": "INSERT", "adjudicator": "INSERT, UPDATE"},
    "blind_entry": {"extractor": "INSERT"},
    "audit_log": {role: "INSERT" for role in ROLES},  # appended to, never changed (the triggers)
    "curator_team": {},
    "alembic_version": {},
}
#: Columns of ``endpoint_row`` that verifying changes (any verifier may); the others are its values.
STATUS_COLUMNS: Final = ("status", "verified_by", "status_claimed", "version", "version_id")


class TeamError(Exception):
    """A refusal a user can fix (not an admin, a name taken...): the service words it."""


@dataclass(frozen=True, slots=True)
class Reviewer:
    """A reviewer of a team review: her login role's name and her role in the review."""

    name: str
    role: str


def ident(name: str) -> str:
    """A name as an SQL identifier (quoted)."""
    return '"' + name.replace('"', '""') + '"'


def literal(value: str) -> str:
    """A text as an SQL literal (for DDL, which takes no parameters)."""
    return "'" + value.replace("'", "''") + "'"


def group_role(database: str, role: str) -> str:
    """The group role of ``role`` in the review kept in ``database``: ``<database>_<role>``."""
    name = f"{database}_{role}"
    if len(name.encode("utf-8")) > NAME_MAX:
        raise TeamError(
            f"the database name {database!r} is too long for its reviewers' roles ({name!r} is over "
            f"{NAME_MAX} bytes); use a shorter database name"
        )
    return name


def is_team(conn: Connection) -> bool:
    """True when the database is a team review (:func:`install` ran on it)."""
    if conn.dialect.name != "postgresql":
        return False
    return bool(conn.exec_driver_sql("SELECT to_regclass('public.curator_team') IS NOT NULL").scalar())


def _statements(groups: dict[str, str]) -> list[str]:
    """The SQL that makes a review a team review, for its four group roles (names, unquoted)."""
    e, v, j, a = (ident(groups[r]) for r in ROLES)
    every = f"{e}, {v}, {j}, {a}"
    writers = f"{e}, {v}, {j}"
    judges = f"{v}, {j}"
    is_judge = (
        f"(pg_has_role(current_user, {literal(groups['verifier'])}, 'USAGE') "
        f"OR pg_has_role(current_user, {literal(groups['adjudicator'])}, 'USAGE'))"
    )
    is_adjudicator = f"pg_has_role(current_user, {literal(groups['adjudicator'])}, 'USAGE')"
    is_admin = (
        f"(pg_has_role(session_user, {literal(groups['admin'])}, 'MEMBER') "
        "OR (SELECT rolsuper FROM pg_roles WHERE rolname = session_user) "
        "OR session_user = (SELECT pg_get_userbyid(relowner) FROM pg_class "
        "WHERE oid = 'public.curator_team'::regclass))"
    )
    row_visible = "EXISTS (SELECT 1 FROM endpoint_row r WHERE r.id = row_id)"
    status = "ARRAY[" + ", ".join(literal(c) for c in STATUS_COLUMNS) + ", 'entered_by']"
    # Every function finds the review's tables, never a temporary table of the same name (pg_temp,
    # searched first unless it is named, would catch the server's audit entries).
    pinned = "SET search_path = pg_catalog, public, pg_temp"
    definer = f"SECURITY DEFINER {pinned}"
    as_self = "PERFORM curator_as_self(); "
    out = [
        # The team's settings and group roles.
        "CREATE TABLE curator_team (id integer PRIMARY KEY CHECK (id = 1), extractor name NOT NULL, "
        "verifier name NOT NULL, adjudicator name NOT NULL, admin name NOT NULL, blind boolean NOT NULL DEFAULT true)",
        "INSERT INTO curator_team (id, extractor, verifier, adjudicator, admin) VALUES (1, "
        + ", ".join(literal(groups[r]) for r in ROLES)
        + ")",
        # Who entered a row, as the server knows it.
        "ALTER TABLE endpoint_row ADD COLUMN entered_by name NOT NULL DEFAULT current_user",
        "UPDATE endpoint_row r SET entered_by = coalesce((SELECT a.who FROM audit_log a WHERE "
        "a.table_name = 'endpoint_row' AND a.row_id = r.id AND a.action = 'insert' ORDER BY a.id DESC LIMIT 1), "
        "current_user)",
        "CREATE INDEX ix_endpoint_row_entered_by ON endpoint_row (entered_by)",
        "CREATE TABLE blind_entry (row_id integer NOT NULL REFERENCES endpoint_row(id) ON DELETE CASCADE, "
        "entered_by name NOT NULL DEFAULT current_user, at timestamptz NOT NULL DEFAULT now(), "
        "PRIMARY KEY (row_id, entered_by))",
        "CREATE VIEW row_identity AS SELECT r.id, c.key AS comparison, r.position, r.endpoint, r.entered_by, "
        "r.status FROM endpoint_row r JOIN comparison c ON c.id = r.comparison_id",
        # Helpers that read past row-level security (as the owner), and say no more than they must.
        f"CREATE FUNCTION curator_row_owner(p_row bigint) RETURNS name LANGUAGE sql STABLE {definer} AS "
        "$$ SELECT entered_by FROM public.endpoint_row WHERE id = p_row $$",
        "CREATE FUNCTION curator_row_place(p_row bigint) RETURNS text LANGUAGE sql STABLE "
        f"{definer} AS $$ SELECT 'row ' || (r.position + 1) || ' (' || r.endpoint || ') of ' || c.key "
        "FROM public.endpoint_row r JOIN public.comparison c ON c.id = r.comparison_id WHERE r.id = p_row $$",
        "CREATE FUNCTION curator_audit_last(OUT last_id bigint, OUT last_at timestamptz, OUT last_hash text) "
        f"LANGUAGE plpgsql {definer} AS $$ BEGIN "
        f"PERFORM pg_advisory_xact_lock({AUDIT_LOCK}); "
        "SELECT id, at, hash INTO last_id, last_at, last_hash FROM public.audit_log ORDER BY id DESC LIMIT 1; "
        "END $$",
        # Did this transaction write an entry (not a sql- one) about the row? Three index lookups.
        "CREATE FUNCTION curator_audited(p_table text, p_id bigint, p_row bigint) RETURNS boolean "
        f"LANGUAGE plpgsql STABLE {definer} AS $$ DECLARE x xid := pg_current_xact_id()::xid; BEGIN "
        "IF p_row IS NOT NULL AND EXISTS (SELECT 1 FROM public.audit_log a WHERE a.table_name = 'endpoint_row' "
        "AND a.row_id = p_row AND a.xmin = x AND a.action NOT LIKE 'sql-%') THEN RETURN true; END IF; "
        "IF p_id IS NOT NULL AND EXISTS (SELECT 1 FROM public.audit_log a WHERE a.table_name = p_table "
        "AND a.row_id = p_id AND a.xmin = x AND a.action NOT LIKE 'sql-%') THEN RETURN true; END IF; "
        "RETURN EXISTS (SELECT 1 FROM public.audit_log a WHERE a.table_name = p_table AND a.row_id IS NULL "
        "AND a.xmin = x AND a.action NOT LIKE 'sql-%'); END $$",
        "CREATE FUNCTION curator_hash_part(value text) RETURNS text LANGUAGE sql IMMUTABLE AS "
        "$$ SELECT CASE WHEN value IS NULL THEN '-' ELSE length(value) || ':' || value END $$",
        # A reviewer works as herself: a group role she may SET ROLE to is not her (a row entered as
        # the group would not be hers, and she could verify it).
        f"CREATE FUNCTION curator_as_self() RETURNS void LANGUAGE plpgsql STABLE {pinned} AS $$ BEGIN "
        "IF current_user <> session_user AND pg_has_role(session_user, current_user, 'MEMBER') "
        "AND NOT (SELECT rolsuper FROM pg_roles WHERE rolname = session_user) THEN RAISE EXCEPTION "
        "'work as yourself: % is logged in, and works as %; RESET ROLE first', session_user, current_user "
        "USING ERRCODE = '42501'; END IF; END $$",
        # The audit log: who, when and the chain are the server's.
        f"CREATE FUNCTION curator_audit_stamp() RETURNS trigger LANGUAGE plpgsql {pinned} AS $$ "
        "DECLARE last record; prev text; at_text text; BEGIN "
        + as_self
        + "SELECT * INTO last FROM curator_audit_last(); "
        "NEW.id := coalesce(last.last_id, 0) + 1; "
        "NEW.who := current_user; "
        "NEW.at := greatest(date_trunc('microseconds', clock_timestamp()), coalesce(last.last_at, '-infinity')); "
        "prev := coalesce(nullif(last.last_hash, ''), repeat('0', 64)); "
        "NEW.prev_hash := prev; "
        "at_text := to_char(NEW.at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US'); "
        "NEW.hash := encode(sha256(convert_to(concat_ws(E'\\n', prev, curator_hash_part(NEW.id::text), "
        "curator_hash_part(at_text), curator_hash_part(NEW.who), curator_hash_part(NEW.action), "
        "curator_hash_part(NEW.table_name), curator_hash_part(NEW.row_id::text), curator_hash_part(NEW.field), "
        "curator_hash_part(NEW.old), curator_hash_part(NEW.new)), 'UTF8')), 'hex'); "
        "RETURN NEW; END $$",
        "CREATE TRIGGER audit_log_stamp BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION curator_audit_stamp()",
        # A change that came without an entry of its own: the server writes one at commit.
        f"CREATE FUNCTION curator_audit_change() RETURNS trigger LANGUAGE plpgsql {pinned} AS $$ "
        "DECLARE r record; rec jsonb; before jsonb; rid bigint; parent bigint; k text; o text; n text; BEGIN "
        "IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF; "
        # TG_ARGV: the table's id column ('id' or '-') and the endpoint row it belongs to ('row_id', 'id', '-').
        "IF TG_ARGV[0] = 'id' THEN rid := r.id; END IF; "
        "IF TG_ARGV[1] = 'row_id' THEN parent := r.row_id; ELSIF TG_ARGV[1] = 'id' THEN parent := r.id; END IF; "
        "IF curator_audited(TG_TABLE_NAME, rid, parent) THEN RETURN NULL; END IF; "
        "rec := to_jsonb(r) - 'data'; "
        "IF TG_OP = 'INSERT' THEN "
        "INSERT INTO audit_log (at, who, action, table_name, row_id, new) "
        "VALUES (now(), current_user, 'sql-insert', TG_TABLE_NAME, rid, rec::text); "
        "ELSIF TG_OP = 'DELETE' THEN "
        "INSERT INTO audit_log (at, who, action, table_name, row_id, old) "
        "VALUES (now(), current_user, 'sql-delete', TG_TABLE_NAME, rid, rec::text); "
        "ELSE before := to_jsonb(OLD) - 'data'; "
        "FOR k, o, n IN SELECT coalesce(x.key, y.key), x.value, y.value FROM jsonb_each_text(before) x "
        "FULL JOIN jsonb_each_text(rec) y ON x.key = y.key WHERE x.value IS DISTINCT FROM y.value "
        "ORDER BY 1 LOOP "
        "INSERT INTO audit_log (at, who, action, table_name, row_id, field, old, new) "
        "VALUES (now(), current_user, 'sql-update', TG_TABLE_NAME, rid, k, o, n); "
        "END LOOP; END IF; RETURN NULL; END $$",
        # Rows: who entered one is the server's; only she changes its values (verifiers and
        # adjudicators correct them); nobody verifies a row they entered.
        f"CREATE FUNCTION curator_row_guard() RETURNS trigger LANGUAGE plpgsql {pinned} AS $$ BEGIN "
        + as_self
        + "IF TG_OP = 'INSERT' THEN NEW.entered_by := current_user; "
        "IF NEW.status = 'verified' AND NOT NEW.status_claimed THEN RAISE EXCEPTION "
        "'a row is not entered verified: a second reviewer verifies it' USING ERRCODE = '42501'; END IF; "
        "RETURN NEW; END IF; "
        "NEW.entered_by := OLD.entered_by; "
        "IF NEW.status = 'verified' AND NEW.status IS DISTINCT FROM OLD.status AND current_user = OLD.entered_by "
        "THEN RAISE EXCEPTION '% entered % and cannot verify it: a second reviewer must', "
        "current_user, curator_row_place(OLD.id) USING ERRCODE = '42501'; END IF; "
        f"IF current_user <> OLD.entered_by AND NOT {is_judge} AND "
        f"(to_jsonb(NEW) - {status}) IS DISTINCT FROM (to_jsonb(OLD) - {status}) THEN RAISE EXCEPTION "
        "'% was entered by %: only she, a verifier or an adjudicator changes its values', "
        "curator_row_place(OLD.id), OLD.entered_by USING ERRCODE = '42501'; END IF; "
        "RETURN NEW; END $$",
        "CREATE TRIGGER endpoint_row_guard BEFORE INSERT OR UPDATE ON endpoint_row FOR EACH ROW "
        "EXECUTE FUNCTION curator_row_guard()",
        # Deleting a comparison deletes its rows as the table's owner: who asked is the session's user.
        f"CREATE FUNCTION curator_row_delete_guard() RETURNS trigger LANGUAGE plpgsql {pinned} AS $$ BEGIN "
        + as_self
        + "IF session_user <> OLD.entered_by AND NOT (SELECT rolsuper FROM pg_roles WHERE rolname = session_user) "
        "AND session_user <> (SELECT pg_get_userbyid(relowner) FROM pg_class "
        "WHERE oid = 'public.endpoint_row'::regclass) THEN RAISE EXCEPTION '% was entered by %: only she deletes it', "
        "coalesce(curator_row_place(OLD.id), 'row ' || (OLD.position + 1) || ' (' || OLD.endpoint || ') of the "
        "comparison being deleted'), OLD.entered_by USING ERRCODE = '42501'; END IF; RETURN OLD; END $$",
        "CREATE TRIGGER endpoint_row_delete_guard BEFORE DELETE ON endpoint_row FOR EACH ROW "
        "EXECUTE FUNCTION curator_row_delete_guard()",
        f"CREATE FUNCTION curator_verification_guard() RETURNS trigger LANGUAGE plpgsql {pinned} AS $$ "
        "DECLARE owner name; BEGIN " + as_self + ""
        "IF TG_OP = 'UPDATE' AND NEW.state = 'changed' THEN "
        'NEW."by" := OLD."by"; NEW.at := OLD.at; NEW.row_id := OLD.row_id; NEW.field := OLD.field; RETURN NEW; END IF; '
        "owner := curator_row_owner(NEW.row_id); "
        "IF NEW.state IN ('verified', 'disputed') AND owner = current_user THEN RAISE EXCEPTION "
        "'% entered % and cannot verify or dispute its field %: a second reviewer must', "
        "current_user, curator_row_place(NEW.row_id), NEW.field USING ERRCODE = '42501'; END IF; "
        'NEW."by" := current_user; NEW.at := now(); RETURN NEW; END $$',
        "CREATE TRIGGER field_verification_guard BEFORE INSERT OR UPDATE ON field_verification FOR EACH ROW "
        "EXECUTE FUNCTION curator_verification_guard()",
        # Adjudication: opened by anyone, undecided; decided once, by an adjudicator, a third reviewer.
        f"CREATE FUNCTION curator_adjudication_guard() RETURNS trigger LANGUAGE plpgsql {pinned} AS $$ "
        "DECLARE owner name; BEGIN " + as_self + ""
        "IF TG_OP = 'INSERT' THEN "
        "IF NEW.decided_at IS NOT NULL OR NEW.decided_by IS NOT NULL OR NEW.choice IS NOT NULL "
        "OR NEW.final IS NOT NULL THEN RAISE EXCEPTION "
        "'an adjudication item is opened undecided: only an adjudicator decides it' "
        "USING ERRCODE = '42501'; END IF; "
        "NEW.opened_by := current_user; NEW.opened_at := now(); RETURN NEW; END IF; "
        "IF OLD.decided_at IS NOT NULL THEN RAISE EXCEPTION "
        "'adjudication item % was decided by % already', OLD.id, OLD.decided_by USING ERRCODE = '42501'; "
        "END IF; "
        f"IF NOT {is_adjudicator} THEN RAISE EXCEPTION "
        "'only an adjudicator decides adjudication item %', OLD.id USING ERRCODE = '42501'; END IF; "
        "owner := curator_row_owner(OLD.row_id); "
        "IF current_user IN (owner, OLD.who_a, OLD.who_b) THEN RAISE EXCEPTION "
        "'% entered one of the values of adjudication item %: a third reviewer must decide it', "
        "current_user, OLD.id USING ERRCODE = '42501'; END IF; "
        "NEW.id := OLD.id; NEW.row_id := OLD.row_id; NEW.field := OLD.field; NEW.value_a := OLD.value_a; "
        "NEW.value_b := OLD.value_b; NEW.who_a := OLD.who_a; NEW.who_b := OLD.who_b; NEW.origin := OLD.origin; "
        "NEW.opened_by := OLD.opened_by; NEW.opened_at := OLD.opened_at; "
        "IF NEW.decided_at IS NOT NULL OR NEW.choice IS NOT NULL THEN "
        "NEW.decided_by := current_user; NEW.decided_at := now(); END IF; "
        "RETURN NEW; END $$",
        "CREATE TRIGGER adjudication_item_guard BEFORE INSERT OR UPDATE ON adjudication_item FOR EACH ROW "
        "EXECUTE FUNCTION curator_adjudication_guard()",
        # Blind entry: submitted by its extractor, never of her own row.
        f"CREATE FUNCTION curator_blind_guard() RETURNS trigger LANGUAGE plpgsql {pinned} AS $$ BEGIN "
        + as_self
        + "NEW.entered_by := current_user; NEW.at := now(); "
        "IF curator_row_owner(NEW.row_id) = current_user THEN RAISE EXCEPTION "
        "'% entered % and cannot enter it blind again: a second extractor must', "
        "current_user, curator_row_place(NEW.row_id) USING ERRCODE = '42501'; END IF; RETURN NEW; END $$",
        "CREATE TRIGGER blind_entry_guard BEFORE INSERT ON blind_entry FOR EACH ROW "
        "EXECUTE FUNCTION curator_blind_guard()",
        # Adding a reviewer: an administrator of this review, through the owner.
        "CREATE FUNCTION curator_add_reviewer(p_name text, p_role text, p_password text) RETURNS void "
        f"LANGUAGE plpgsql {definer} AS $$ DECLARE team record; grp name; BEGIN "
        f"IF NOT {is_admin} THEN RAISE EXCEPTION "
        "'% is not an administrator of this review: only an administrator adds reviewers', session_user "
        "USING ERRCODE = '42501'; END IF; "
        "SELECT * INTO team FROM public.curator_team; "
        "grp := CASE p_role WHEN 'extractor' THEN team.extractor WHEN 'verifier' THEN team.verifier "
        "WHEN 'adjudicator' THEN team.adjudicator WHEN 'admin' THEN team.admin END; "
        "IF grp IS NULL THEN RAISE EXCEPTION "
        "'% is not a role: choose extractor, verifier, adjudicator or admin', p_role "
        "USING ERRCODE = '22023'; END IF; "
        "IF p_password IS NULL OR p_password = '' THEN RAISE EXCEPTION 'a reviewer needs a password' "
        "USING ERRCODE = '22023'; END IF; "
        "IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = p_name) THEN RAISE EXCEPTION "
        "'the server has a role named % already: choose another name', p_name USING ERRCODE = '42710'; "
        "END IF; "
        "EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L', p_name, p_password); "
        "EXECUTE format('GRANT %I TO %I', grp, p_name); "
        "END $$",
    ]
    # Data tables: the server audits a change that came without an entry.
    for table in DATA_TABLES:
        key = "-" if table in ("document_blob", "blind_entry") else "id"
        parent = "id" if table == "endpoint_row" else "row_id" if table in (*ROW_PARTS, "blind_entry") else "-"
        out.append(
            f"CREATE CONSTRAINT TRIGGER {table}_audited AFTER INSERT OR UPDATE OR DELETE ON {table} "
            f"DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION curator_audit_change('{key}', '{parent}')"
        )
    # Grants: what each role may do at all.
    helpers = (
        "curator_as_self(), curator_row_owner(bigint), curator_row_place(bigint), curator_audit_last(), "
        "curator_audited(text, bigint, bigint)"
    )
    out += [
        f"REVOKE ALL ON FUNCTION {helpers}, curator_add_reviewer(text, text, text) FROM PUBLIC",
        f"GRANT USAGE ON SCHEMA public TO {every}",
        f"GRANT EXECUTE ON FUNCTION {helpers} TO {every}",
        # Every reviewer may call it, so that the function itself says who may not.
        f"GRANT EXECUTE ON FUNCTION curator_add_reviewer(text, text, text) TO {every}",
        *grant_statements(groups),
    ]
    # Row-level security: which rows.
    blind_off = "NOT (SELECT blind FROM curator_team)"
    mine_or_submitted = (
        f"(entered_by = current_user OR {blind_off} OR EXISTS (SELECT 1 FROM blind_entry b "
        "WHERE b.row_id = endpoint_row.id AND b.entered_by = current_user))"
    )
    out += [
        f"ALTER TABLE {t} ENABLE ROW LEVEL SECURITY" for t in ("endpoint_row", "blind_entry", "audit_log", *ROW_PARTS)
    ]
    out += [
        f"CREATE POLICY read_all ON endpoint_row FOR SELECT TO {v}, {j}, {a} USING (true)",
        f"CREATE POLICY read_own ON endpoint_row FOR SELECT TO {e} USING {mine_or_submitted}",
        f"CREATE POLICY enter ON endpoint_row FOR INSERT TO {e} WITH CHECK (true)",
        f"CREATE POLICY change ON endpoint_row FOR UPDATE TO {e} USING {mine_or_submitted}",
        f"CREATE POLICY correct ON endpoint_row FOR UPDATE TO {judges} USING (true)",
        f"CREATE POLICY remove ON endpoint_row FOR DELETE TO {e} USING (entered_by = current_user)",
        f"CREATE POLICY read_all ON blind_entry FOR SELECT TO {v}, {j}, {a} USING (true)",
        f"CREATE POLICY read_own ON blind_entry FOR SELECT TO {e} USING (entered_by = current_user)",
        f"CREATE POLICY submit ON blind_entry FOR INSERT TO {e} WITH CHECK (true)",
        f"CREATE POLICY read_all ON audit_log FOR SELECT TO {v}, {j}, {a} USING (true)",
        f"CREATE POLICY read_unblinded ON audit_log FOR SELECT TO {e} USING (who = current_user OR {blind_off} "
        f"OR (table_name NOT IN ('endpoint_row', 'blind_entry', {', '.join(literal(t) for t in ROW_PARTS)})) "
        "OR (table_name = 'endpoint_row' AND (row_id IS NULL OR EXISTS "
        "(SELECT 1 FROM endpoint_row r WHERE r.id = audit_log.row_id))))",
        f"CREATE POLICY append ON audit_log FOR INSERT TO {every} WITH CHECK (true)",
    ]
    for table in ROW_PARTS:
        out.append(f"CREATE POLICY read_with_row ON {table} FOR SELECT TO {every} USING ({row_visible})")
    for table in ("citation", "evidence"):
        out.append(
            f"CREATE POLICY write_own ON {table} FOR ALL TO {e} USING (curator_row_owner(row_id) = current_user) "
            "WITH CHECK (curator_row_owner(row_id) = current_user)"
        )
        out.append(f"CREATE POLICY write_any ON {table} FOR ALL TO {judges} USING (true) WITH CHECK (true)")
    out += [
        f"CREATE POLICY judge ON field_verification FOR INSERT TO {writers} WITH CHECK ({row_visible})",
        f"CREATE POLICY rejudge ON field_verification FOR UPDATE TO {writers} USING ({row_visible})",
        f"CREATE POLICY open ON adjudication_item FOR INSERT TO {writers} WITH CHECK ({row_visible})",
        f"CREATE POLICY decide ON adjudication_item FOR UPDATE TO {j} USING (true)",
    ]
    return out


def undecided(tables: Iterable[str] = ()) -> list[str]:
    """The tables of the review's schema (the metadata's, :data:`TEAM_TABLES`, and ``tables``, say those a
    server holds) that have no grant decision in :data:`WRITES`, sorted."""
    from curator.store.models import metadata

    return sorted({*metadata.tables, *TEAM_TABLES, *tables} - set(WRITES))


def grant_statements(groups: dict[str, str], tables: Iterable[str] = ()) -> list[str]:
    """The grants of :data:`WRITES` for the four group roles (names, unquoted), with reading every table and
    using its sequences; refused (:class:`TeamError`) while a table of the schema (or of ``tables``) has no
    decision there."""
    missing = undecided(tables)
    if missing:
        raise TeamError(
            f"no grant decided for the table {', '.join(missing)}: say in curator.store.team.WRITES what each "
            "role may do there (an empty decision: read only)"
        )
    every = ", ".join(ident(groups[r]) for r in ROLES)
    out = [
        f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {every}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {every}",
        f"GRANT UPDATE ON ALL SEQUENCES IN SCHEMA public TO {ident(groups['extractor'])}",  # ids given in bulk
    ]
    for table, writes in WRITES.items():
        for role, privileges in writes.items():
            out.append(f"GRANT {privileges} ON {ident(table)} TO {ident(groups[role])}")
    return out


def role_of(conn: Connection) -> str | None:
    """The current user's role in this team review (the first of :data:`ROLES` she holds), None when she
    holds none (the owner, a superuser) or the database is not a team review."""
    if not is_team(conn):
        return None
    if conn.exec_driver_sql("SELECT rolsuper FROM pg_roles WHERE rolname = current_user").scalar():
        return None  # a superuser "has" every role: she is none of them
    held = conn.exec_driver_sql(
        "SELECT " + ", ".join(f"pg_has_role(current_user, {role}, 'MEMBER')" for role in ROLES) + " FROM curator_team"
    ).one()
    return next((role for role, has in zip(ROLES, held, strict=True) if has), None)


def regrant(conn: Connection) -> bool:
    """Give the grants of :data:`WRITES` again on a team review (after an upgrade added a table, as its owner);
    False when the database is not a team review."""
    if not is_team(conn):
        return False
    team = conn.exec_driver_sql(f"SELECT {', '.join(ROLES)} FROM curator_team").one()
    groups = dict(zip(ROLES, (str(name) for name in team), strict=True))
    tables = conn.exec_driver_sql("SELECT tablename FROM pg_tables WHERE schemaname = 'public'").scalars()
    raw: Any = conn.connection.driver_connection
    for sql in grant_statements(groups, [str(t) for t in tables]):
        raw.execute(sql)
    return True


def install(conn: Connection, database: str) -> dict[str, str]:
    """Make the review in ``database`` (its tables made, in the caller's transaction) a team review:
    its four group roles (made when missing), grants, row-level security and triggers. The caller is
    the review's owner and may create roles. Returns role -> group role name."""
    groups = {role: group_role(database, role) for role in ROLES}
    existing = set(
        conn.exec_driver_sql(
            "SELECT rolname FROM pg_roles WHERE rolname = ANY(%(names)s)", {"names": list(groups.values())}
        ).scalars()
    )
    raw: Any = conn.connection.driver_connection  # DDL as written: no parameters, no placeholders
    for name in groups.values():
        if name not in existing:
            raw.execute(f"CREATE ROLE {ident(name)} NOLOGIN")
    for sql in _statements(groups):
        raw.execute(sql)
    return groups


def encrypt_password(conn: Connection, name: str, password: str) -> str:
    """The password as the server keeps it (SCRAM-SHA-256), computed here: the password itself is
    never sent to the server."""
    raw: Any = conn.connection.driver_connection
    hashed: bytes = raw.pgconn.encrypt_password(password.encode("utf-8"), name.encode("utf-8"), b"scram-sha-256")
    return hashed.decode("ascii")


def add_reviewer(conn: Connection, name: str, role: str, password: str) -> None:
    """Make ``name`` a login role with ``password`` and ``role`` in this review (the server refuses
    a caller who is not its administrator, a name the server has, an unknown role)."""
    conn.exec_driver_sql(
        "SELECT curator_add_reviewer(%(name)s, %(role)s, %(password)s)",
        {"name": name, "role": role, "password": encrypt_password(conn, name, password)},
    )


def reviewers(conn: Connection) -> list[Reviewer]:
    """The review's reviewers (members of its group roles), by role then name."""
    rows = conn.exec_driver_sql(
        "SELECT m.rolname, g.role FROM (SELECT 'extractor' AS role, extractor AS grp, 1 AS n FROM curator_team "
        "UNION ALL SELECT 'verifier', verifier, 2 FROM curator_team "
        "UNION ALL SELECT 'adjudicator', adjudicator, 3 FROM curator_team "
        "UNION ALL SELECT 'admin', admin, 4 FROM curator_team) g "
        "JOIN pg_roles gr ON gr.rolname = g.grp JOIN pg_auth_members am ON am.roleid = gr.oid "
        "JOIN pg_roles m ON m.oid = am.member ORDER BY g.n, m.rolname"
    ).all()
    return [Reviewer(str(name), str(role)) for name, role in rows]


def submit_blind_entry(conn: Connection, comparison: str, position: int) -> int | None:
    """On a team review: record that the current user submits her blind entry of the row at
    ``comparison[position]`` (which she may not read until then), so that she can read it from now
    on. Returns the row's id (None: no such row, or not a team review)."""
    if not is_team(conn):
        return None
    row_id = conn.exec_driver_sql(
        "SELECT id FROM row_identity WHERE comparison = %(c)s AND position = %(p)s",
        {"c": comparison, "p": position},
    ).scalar()
    if row_id is None:
        return None
    conn.exec_driver_sql(
        "INSERT INTO blind_entry (row_id) VALUES (%(r)s) ON CONFLICT DO NOTHING",
        {"r": int(row_id)},
    )
    return int(row_id)
