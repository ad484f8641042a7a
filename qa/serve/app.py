"""The review app: a Starlette application over the store, rendered on the server.

Every request goes through `View`: the session cookie gives the user, a POST must carry
the session's CSRF token, and the view itself asks qa.serve.access before it reads or
writes. Pages are jinja2 templates next to the report's (reports/serve/), with its CSS and
script; nothing comes from the network.
"""

from __future__ import annotations

import ipaddress
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qa.config import Config, load_config
from qa.errors import ConfigError
from qa.resources import scorecards_dir, shipped_dir
from qa.serve.security import (
    ADDRESS_MAX_FAILURES,
    COOKIE,
    HEADERS,
    LOGIN_COOKIE,
    LoginThrottle,
    Session,
    app_secret,
    find_session,
    same_token,
)
from qa.serve.users import User, get_user
from qa.store import Store

LOCAL_NAMES = ("localhost",)
TEMPLATES = Path(__file__).resolve().parent / "templates"


def check_host(host: str, allow_remote: bool) -> None:
    """Refuse a non-local address unless told so: the app holds every agent's contacts."""
    if host in LOCAL_NAMES:
        return
    try:
        local = ipaddress.ip_address(host).is_loopback
    except ValueError:
        local = False
    if not local and not allow_remote:
        raise ConfigError(
            f"refusing to listen on {host}: it is not a loopback address, so anyone on the"
            " network could reach every agent's contacts. Put the app behind a TLS proxy and"
            " pass --allow-remote if that is what you want."
        )


class NotFound(Exception):
    """What a person may not see does not exist for them."""


class Refused(Exception):
    """A form without the session's CSRF token (missing, or from an older login)."""


@dataclass
class App:
    db: Path
    config: Config
    cards: Path
    campaigns: Path
    throttle: LoginThrottle = field(default_factory=LoginThrottle)  # attempts per user name
    # Failed logins per client address: people behind one address must not lock each other out.
    failures: LoginThrottle = field(
        default_factory=lambda: LoginThrottle(max_attempts=ADDRESS_MAX_FAILURES)
    )
    secret: str = ""
    local: threading.local = field(default_factory=threading.local)

    def store(self) -> Store:
        """One connection per worker thread (sqlite3 connections stay in their thread)."""
        store = getattr(self.local, "store", None)
        if store is None:
            store = Store(self.db)
            self.local.store = store
        return store


@dataclass
class Ctx:
    """What a view gets: the request, its form, the store, and who is asking."""

    request: Any
    form: dict[str, str]
    app: App
    store: Store
    user: User | None
    session: Session | None

    @property
    def path(self) -> dict[str, str]:
        return dict(self.request.path_params)

    def need_user(self) -> User:
        if self.user is None:
            raise NotFound()
        return self.user


def _signer(secret: str) -> Any:
    from itsdangerous import URLSafeTimedSerializer

    return URLSafeTimedSerializer(secret, salt="qa-session")


def session_cookie(app: App, session: Session) -> str:
    return str(_signer(app.secret).dumps(session.id))


def _session(app: App, store: Store, request: Any) -> Session | None:
    from itsdangerous import BadSignature

    raw = request.cookies.get(COOKIE)
    if not raw:
        return None
    try:
        # Signed ids older than the session length are refused before the database is asked.
        sid = _signer(app.secret).loads(raw, max_age=int(app.config.review.session_hours * 3600))
    except BadSignature:
        return None
    return find_session(store, str(sid))


def view(fn: Callable[[Ctx], Any], login: bool = True) -> Callable[[Any], Any]:
    """A Starlette endpoint around a plain function run in a worker thread."""
    from starlette.concurrency import run_in_threadpool
    from starlette.responses import PlainTextResponse, RedirectResponse

    async def endpoint(request: Any) -> Any:
        form: dict[str, str] = {}
        if request.method == "POST":
            raw = await request.form(max_files=0, max_fields=200)
            form = {k: v for k, v in raw.items() if isinstance(v, str)}
        app: App = request.app.state.qa

        def run() -> Any:
            store = app.store()
            session = _session(app, store, request)
            user = get_user(store, session.username) if session else None
            if login and user is None:
                if request.method == "GET":
                    return RedirectResponse("/login", status_code=303)
                return PlainTextResponse("Log in first.", status_code=403)
            if request.method == "POST" and login:
                assert session is not None
                if not same_token(form.get("csrf"), session.csrf):
                    raise Refused()
            return fn(Ctx(request, form, app, store, user, session))

        try:
            return await run_in_threadpool(run)
        except NotFound:
            return not_found(request)
        except Refused:
            return PlainTextResponse(
                "This form is out of date or was not sent by this app (missing or stale"
                " security token). Reload the page and try again.",
                status_code=403,
            )

    return endpoint


def not_found(request: Any) -> Any:
    from starlette.responses import HTMLResponse

    return HTMLResponse(
        render(request.app.state.qa, "serve/error.html", None, None,
               title="Not found", message="There is no such page."),
        status_code=404,
    )  # fmt: skip


_ENV: list[Any] = []


def env() -> Any:
    if not _ENV:
        from jinja2 import ChoiceLoader, FileSystemLoader

        from qa.report.build import templates_env

        e = templates_env()
        # The app's own pages first (serve/...), then the report's macros and assets.
        assert e.loader is not None
        e.loader = ChoiceLoader([FileSystemLoader(str(TEMPLATES)), e.loader])
        _ENV.append(e)
    return _ENV[0]


def render(
    app: App, template: str, user: User | None, session: Session | None, **values: Any
) -> str:
    return str(
        env()
        .get_template(template)
        .render(user=user, csrf=session.csrf if session else "", **values)
    )


class SecurityHeaders:
    """Security headers on every response (pure ASGI: no buffering of bodies)."""

    def __init__(self, app: Any):
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                have = {k.lower() for k, _ in headers}
                for k, v in HEADERS.items():
                    if k.encode() not in have:
                        headers.append((k.encode(), v.encode()))
                if not scope["path"].startswith("/assets/"):
                    headers.append((b"cache-control", b"no-store"))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def cards_folder(config: Config) -> Path:
    """Where trainers' adopted examples are written: qa.yaml's folder, else the shipped one."""
    return config.review.scorecards or scorecards_dir()


def campaigns_folder(config: Config) -> Path:
    """Where adopted flag examples are written: qa.yaml's folder, else the shipped one."""
    return config.review.campaigns or scorecards_dir() / "campaigns"


def create_app(
    db: Path, config: Config | None = None, cards: Path | None = None,
    campaigns: Path | None = None,
) -> Any:  # fmt: skip
    """The ASGI application over the database `db`."""
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.routing import Mount, Route
    from starlette.staticfiles import StaticFiles

    from qa.serve import pages

    config = config or Config()
    state = App(
        Path(db), config, cards or cards_folder(config), campaigns or campaigns_folder(config)
    )
    state.secret = app_secret(state.store())
    routes = [
        Route("/login", view(pages.login_form, login=False), methods=["GET"]),
        Route("/login", view(pages.login, login=False), methods=["POST"]),
        Route("/logout", view(pages.logout), methods=["POST"]),
        Route("/", view(pages.home), methods=["GET"]),
        Route("/queue", view(pages.queue), methods=["GET"]),
        Route("/assignments", view(pages.assign), methods=["POST"]),
        Route("/i/{iid}", view(pages.interaction), methods=["GET"]),
        Route("/i/{iid}/decide", view(pages.decide), methods=["POST"]),
        Route("/i/{iid}/acknowledge", view(pages.acknowledge), methods=["POST"]),
        Route("/i/{iid}/dispute", view(pages.dispute), methods=["POST"]),
        Route("/audio/{iid}", view(pages.audio), methods=["GET"]),
        Route("/disputes", view(pages.disputes), methods=["GET"]),
        Route("/disputes/{did}/resolve", view(pages.resolve), methods=["POST"]),
        Route("/agents", view(pages.agents), methods=["GET"]),
        Route("/agents/{aid}", view(pages.agent), methods=["GET"]),
        Route("/teach", view(pages.teach_view), methods=["GET"]),
        Route("/decisions/{did}/adopt", view(pages.adopt), methods=["POST"]),
        Route("/calibration", view(pages.calibrations), methods=["GET"]),
        Route("/calibration", view(pages.open_calibration), methods=["POST"]),
        Route("/calibration/{sid}", view(pages.calibration), methods=["GET"]),
        Route("/calibration/{sid}/{iid}", view(pages.calibration_contact), methods=["GET"]),
        Route("/calibration/{sid}/{iid}", view(pages.calibration_score), methods=["POST"]),
        Route("/audit", view(pages.audit), methods=["GET"]),
        Mount(
            "/assets",
            StaticFiles(directory=str(shipped_dir("qa.report_templates", "reports") / "assets")),
        ),
    ]
    app = Starlette(routes=routes, middleware=[Middleware(SecurityHeaders)])
    app.state.qa = state
    return app


def run(
    db: Path, config_path: Path | None, host: str, port: int, cards: Path | None,
    campaigns: Path | None = None,
) -> None:  # fmt: skip
    import uvicorn

    config = load_config(config_path)
    app = create_app(db, config, cards, campaigns)
    print(f"qa serve: http://{host}:{port}/ over {db} (Ctrl+C to stop)", flush=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False)


__all__ = ["LOGIN_COOKIE", "check_host", "create_app", "run"]
