"""How settings.py and gunicorn.conf.py read their variables: the environment, filled in
from the repository's .env by django-environ (a variable already set wins), where an
empty value counts as unset."""

import os
from collections.abc import Mapping
from pathlib import Path

import environ

ENV_FILE = Path(__file__).resolve().parent.parent / ".env"


class Env(environ.Env):
    """django-environ's Env over `values` without their empty ones.

    .env.example documents lines such as `HTTPS=`: in a .env (or the environment) an
    empty value (or only spaces) means the default (HTTPS on with DEBUG=0), not false,
    and `DATABASE_URL=` the default database rather than a KeyError at start-up.
    """

    def __init__(self, values: Mapping[str, str]):
        super().__init__()
        self.ENVIRON = {name: value for name, value in values.items() if value.strip()}


def environment_with_file(env_file: Path = ENV_FILE) -> dict[str, str]:
    """Return os.environ filled in from env_file, a variable already set winning, and leave
    os.environ as it is.

    For gunicorn's master: its workers inherit os.environ, and Django's settings in them
    must read .env afresh when a reload starts new workers.
    """

    class FileReader(environ.Env):
        ENVIRON = dict(os.environ)  # django-environ's read_env fills the class's ENVIRON

    FileReader.read_env(env_file, overwrite=False)
    return FileReader.ENVIRON
