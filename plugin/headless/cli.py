"""`python -m plugin serve|sync`: the API and sync on a collection file, without Anki's windows.

    python -m plugin serve --collection PATH [--bind ADDR] [--port N] [--config FILE] [--set KEY=VALUE]...
    python -m plugin sync  --collection PATH [--full-sync upload|download] [--config FILE] [--set KEY=VALUE]...

Settings come from the add-on's config keys: the config file, then the
environment variables the add-on reads, then the command line (which wins).
docs/headless.md describes both commands.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from dataclasses import fields
from typing import Any, Mapping, Sequence

from anki.errors import AnkiException

from ..config import BIND_ADDRESS_ENV, CORS_ORIGIN_ENV, Settings
from ..errors import ActionError
from ..server import is_address_in_use
from .host import CollectionHost
from .opening import CollectionOpenError, open_collection
from .runner import HeadlessServer, stopping_on_signals
from .syncing import DOWNLOAD, PASSWORD_ENV, UPLOAD, USER_ENV

log = logging.getLogger("ankiconnect")

SYNC_KEYS = ("syncUser", "syncPassword", "syncEndpoint", "syncMedia")
KNOWN_KEYS = frozenset(f.name for f in fields(Settings) if f.name != "problems") | set(SYNC_KEYS)
# A command-line value for one of these keys also wins over its environment variable.
_ENV_OF_KEY = {"webBindAddress": BIND_ADDRESS_ENV, "webCorsOrigin": CORS_ORIGIN_ENV}

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


class UsageError(Exception):
    """Bad command line or config file; the process exits with status 2."""


# -- command line ----------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=f"python -m {__name__.split('.')[0]}",
        description="The AnkiConnect API on a collection file, without Anki's windows.",
    )
    commands = parser.add_subparsers(dest="command", metavar="{serve,sync}")
    commands.required = True

    serve = commands.add_parser("serve", help="serve the API until SIGINT or SIGTERM")
    _add_common(serve)
    serve.add_argument("--bind", metavar="ADDR", help="address to listen on (config key webBindAddress)")
    serve.add_argument("--port", type=_port, metavar="N", help="port to listen on (config key webBindPort)")

    sync = commands.add_parser("sync", help="sync the collection once, a first full sync included, and exit")
    _add_common(sync)
    sync.add_argument(
        "--full-sync",
        choices=(UPLOAD, DOWNLOAD),
        help="allow a one-way full sync in this direction when Anki requires one (the first sync does)",
    )
    return parser


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--collection", required=True, metavar="PATH", help="the collection file (collection.anki2)")
    parser.add_argument("--create", action="store_true", help="create the collection when the file does not exist")
    parser.add_argument("--config", metavar="FILE", help="a JSON file with the add-on's config keys")
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a config key, winning over the file and the environment; VALUE is JSON, or else a plain string",
    )
    parser.add_argument("--log-level", default="info", choices=("debug", "info", "warning", "error"))


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}")
    return port


# -- config ----------------------------------------------------------------------------------


def load_config_file(path: str | None) -> dict[str, Any]:
    if path is None:
        return {}
    try:
        with open(path, encoding="utf-8") as file:
            data = json.load(file)
    except FileNotFoundError:
        raise UsageError(f"the config file {path} does not exist") from None
    except (OSError, ValueError) as error:
        raise UsageError(f"cannot read the config file {path}: {error}") from None
    if not isinstance(data, dict):
        raise UsageError(f"the config file {path} must hold a JSON object")
    return data


def command_line_overrides(args: argparse.Namespace) -> dict[str, Any]:
    overrides: dict[str, Any] = {}
    for item in args.set:
        key, separator, text = item.partition("=")
        if not separator or not key:
            raise UsageError(f"--set needs KEY=VALUE, not {item!r}")
        try:
            overrides[key] = json.loads(text)
        except ValueError:
            overrides[key] = text
    if getattr(args, "bind", None) is not None:
        overrides["webBindAddress"] = args.bind
    if getattr(args, "port", None) is not None:
        overrides["webBindPort"] = args.port
    return overrides


def environment_for(overrides: Mapping[str, Any], environ: Mapping[str, str]) -> dict[str, str]:
    """The environment minus the variables whose key the command line sets."""
    dropped = {_ENV_OF_KEY[key] for key in overrides if key in _ENV_OF_KEY}
    return {name: value for name, value in environ.items() if name not in dropped}


def report_config_problems(host: CollectionHost, config: Mapping[str, Any], overrides: Mapping[str, Any]) -> None:
    for key in sorted(set(config) | set(overrides)):
        if key not in KNOWN_KEYS:
            log.warning("unknown config key %r is ignored", key)
    for problem in (*host.settings().problems, *host.sync_options().problems):
        log.warning("%s", problem)


# -- commands --------------------------------------------------------------------------------


def serve(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    config = load_config_file(args.config)
    overrides = command_line_overrides(args)
    col = open_collection(args.collection, create=args.create)
    host = CollectionHost(
        col,
        config=config,
        config_path=args.config,
        overrides=overrides,
        environ=environment_for(overrides, environ),
    )
    try:
        report_config_problems(host, config, overrides)
        server = HeadlessServer(host)
        try:
            with stopping_on_signals(server.stop):
                try:
                    address, port = server.listen()
                except OSError as error:
                    settings = host.settings()
                    where = f"{settings.webBindAddress} port {settings.webBindPort}"
                    if is_address_in_use(error):
                        log.error("cannot listen on %s: it is taken (by Anki with AnkiConnect?)", where)
                    else:
                        log.error("cannot listen on %s: %s", where, error)
                    return EXIT_FAILED
                log.info(
                    "serving %s (profile %r) on http://%s:%d; SIGINT or SIGTERM stops",
                    col.path,
                    host.profile_name,
                    _url_host(address),
                    port,
                )
                server.serve_forever()
        finally:
            server.close()
    finally:
        host.close_collection()
    log.info("closed %s", col.path)
    return EXIT_OK


def sync(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    config = load_config_file(args.config)
    overrides = command_line_overrides(args)
    col = open_collection(args.collection, create=args.create)
    host = CollectionHost(col, config=config, overrides=overrides, environ=environment_for(overrides, environ))
    try:
        report_config_problems(host, config, overrides)
        syncer = host.syncer()
        assert syncer is not None
        if not syncer.has_login():
            log.error(
                "no sync login: set %s and %s (or syncUser and syncPassword in the config file)",
                USER_ENV,
                PASSWORD_ENV,
            )
            return EXIT_FAILED
        endpoint = syncer.options.endpoint or "AnkiWeb"
        log.info("syncing %s with %s", col.path, endpoint)
        outcome = syncer.sync_allowing_full(col, args.full_sync)
        log.info("sync finished: %s", outcome)
    finally:
        host.close_collection()
    return EXIT_OK


def _url_host(address: str) -> str:
    return f"[{address}]" if ":" in address else address


def main(argv: Sequence[str] | None = None, environ: Mapping[str, str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=getattr(logging, args.log_level.upper()),
        format="%(asctime)s %(levelname)s %(message)s",
        stream=sys.stderr,
    )
    env = os.environ if environ is None else environ
    command = serve if args.command == "serve" else sync
    try:
        return command(args, env)
    except UsageError as error:
        log.error("%s", error)
        return EXIT_USAGE
    except CollectionOpenError as error:
        log.error("%s", error)
        return EXIT_FAILED
    except (ActionError, AnkiException) as error:  # a sync refused or failed (network, server)
        log.error("%s", error)
        return EXIT_FAILED
