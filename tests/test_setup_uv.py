"""scripts/uv_pip.py hands uv the pip configuration that pip itself would use."""

from __future__ import annotations

import importlib.util
from types import ModuleType

from tests.conftest import ROOT


def uv_pip() -> ModuleType:
    spec = importlib.util.spec_from_file_location("uv_pip", ROOT / "scripts" / "uv_pip.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


LISTING = """global.cert='/etc/ssl/certs/ca.crt'
global.constraint='/etc/xdg/pip/constraints.txt'
global.extra-index-url='file:///opt/a/simple file:///opt/b/simple'
global.find-links='/opt/global-wheels'
install.find-links='/opt/install-wheels'
:env:.find-links='/opt/wheels'
:env:.default-timeout='180'
global.index-url='https://mirror.example/simple'
global.trusted-host='mirror.example'
"""


def test_environment_over_install_over_global() -> None:
    settings = uv_pip().parse(LISTING)
    assert settings["find-links"] == "/opt/wheels"
    assert settings["constraint"] == "/etc/xdg/pip/constraints.txt"
    assert settings["default-timeout"] == "180"
    assert uv_pip().parse("install.find-links='/x'\nglobal.find-links='/y'\n") == {
        "find-links": "/x"
    }


def test_every_index_find_links_constraint_and_certificate_reach_uv() -> None:
    module = uv_pip()
    args, env = module.uv_arguments(module.parse(LISTING))
    pairs = list(zip(args[::2], args[1::2], strict=True))
    assert ("--index-strategy", "unsafe-best-match") in pairs  # pip's choice across indexes
    assert ("--index-url", "https://mirror.example/simple") in pairs
    assert ("--extra-index-url", "file:///opt/a/simple") in pairs
    assert ("--extra-index-url", "file:///opt/b/simple") in pairs
    assert ("--find-links", "/opt/wheels") in pairs
    assert ("--find-links", "/opt/global-wheels") not in pairs
    assert ("--constraint", "/etc/xdg/pip/constraints.txt") in pairs
    assert ("--allow-insecure-host", "mirror.example") in pairs
    assert env == {"SSL_CERT_FILE": "/etc/ssl/certs/ca.crt"}
    assert module.uv_arguments({}) == (["--index-strategy", "unsafe-best-match"], {})
    assert "--no-index" in module.uv_arguments({"no-index": "true"})[0]
