"""`qa users` and `qa serve`: each parses its arguments and calls the library."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from qa.cli import UsageProblem, config_option, db_option, fail, json_option
from qa.errors import QAError


def _store(db: Path) -> Any:
    from qa.store import Store

    return Store(db)


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    return str(click.prompt("Password", hide_input=True, confirmation_prompt=True))


@click.group()
def users() -> None:
    """People who log in to `qa serve`, and their roles."""


@users.command("add")
@click.argument("username")
@click.option(
    "--role",
    required=True,
    type=click.Choice(["admin", "qa", "coach", "trainer", "agent"]),
    help="admin, qa (analysts), coach (with --team), trainer, agent (with --agent).",
)
@click.option("--agent", "agent_id", help="The agent id an agent user's evaluations carry.")
@click.option("--team", "teams", multiple=True, help="A coach's team (repeat for several).")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@db_option
@config_option
def users_add(
    username: str,
    role: str,
    agent_id: str | None,
    teams: tuple[str, ...],
    password_stdin: bool,
    db: Path,
    config: Path | None,
) -> None:
    """Create a user (the password is asked for, or read with --password-stdin); the
    password is hashed at qa.yaml's review.password_* cost."""
    from qa.config import load_config
    from qa.serve.users import add_user

    try:
        review = load_config(config).review
        user = add_user(
            _store(db), username, role, _password(password_stdin), agent_id, list(teams),
            review,
        )  # fmt: skip
    except QAError as exc:
        fail(exc)
    extra = f" for agent {user.agent_id}" if user.agent_id else ""
    extra += f" of {', '.join(user.teams)}" if user.teams else ""
    click.echo(f"Added {user.username} ({user.role}{extra}).")


@users.command("list")
@db_option
@json_option
def users_list(db: Path, as_json: bool) -> None:
    """List users, their roles, agents and teams."""
    from qa.serve.users import list_users

    rows = [u.as_dict() for u in list_users(_store(db))]
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    for r in rows:
        scope = r["agent_id"] or ", ".join(r["teams"]) or "-"
        state = " (disabled)" if r["disabled"] else ""
        click.echo(f"{r['username']:<24} {r['role']:<8} {scope}{state}")
    if not rows:
        click.echo("No users yet: qa users add NAME --role admin")


@users.command("disable")
@click.argument("username")
@click.option("--enable", is_flag=True, help="Enable the user again instead.")
@db_option
def users_disable(username: str, enable: bool, db: Path) -> None:
    """Disable a user: their sessions end and they can no longer log in."""
    from qa.serve.users import set_disabled

    try:
        set_disabled(_store(db), username, not enable)
    except QAError as exc:
        fail(exc)
    click.echo(f"{username} {'enabled' if enable else 'disabled'}.")


@users.command("passwd")
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@db_option
@config_option
def users_passwd(username: str, password_stdin: bool, db: Path, config: Path | None) -> None:
    """Set a user's password (hashed at qa.yaml's review.password_* cost); their open
    sessions end."""
    from qa.config import load_config
    from qa.serve.users import set_password

    try:
        review = load_config(config).review
        set_password(_store(db), username, _password(password_stdin), review)
    except QAError as exc:
        fail(exc)
    click.echo(f"Password of {username} changed.")


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@click.option(
    "--allow-remote",
    is_flag=True,
    help="Listen on a non-local address (people on the network can then reach the app).",
)
@click.option(
    "--scorecards",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Folder of the card files trainers adopt examples into (default: qa.yaml's"
    " review.scorecards, else the shipped cards).",
)
@click.option(
    "--campaigns",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Folder of the campaign files trainers adopt flag examples into (default: qa.yaml's"
    " review.campaigns, else the shipped campaigns).",
)
@db_option
@config_option
def serve(
    host: str, port: int, allow_remote: bool, scorecards: Path | None,
    campaigns: Path | None, db: Path, config: Path | None,
) -> None:  # fmt: skip
    """Review, acknowledge and dispute in a local web app over the database."""
    from qa.serve.app import check_host, run

    try:
        check_host(host, allow_remote)
        run(db, config, host, port, scorecards, campaigns)
    except QAError as exc:
        raise UsageProblem(str(exc)) from exc


def users_group() -> click.Group:
    return users


def serve_command() -> click.Command:
    return serve
