"""The production server settings let a long CSV export finish (issue 14, item 6)."""

import runpy
from pathlib import Path

from gunicorn.config import Config

CONF = Path(__file__).resolve().parents[3] / "gunicorn.conf.py"


def _gunicorn_config() -> Config:
    """Load gunicorn.conf.py the way gunicorn does for `make serve` (from the repo root)."""
    config = Config()
    for name, value in runpy.run_path(str(CONF)).items():
        if name in config.settings:
            config.set(name, value)
    return config


def test_make_serve_is_picked_up_from_the_repository_root():
    # gunicorn reads ./gunicorn.conf.py when no -c is given; make serve runs from the root
    assert Config().config == "./gunicorn.conf.py"
    assert CONF.is_file()


def test_workers_are_threaded_so_the_timeout_does_not_cut_a_long_response(monkeypatch):
    monkeypatch.delenv("GUNICORN_TIMEOUT", raising=False)
    monkeypatch.delenv("GUNICORN_THREADS", raising=False)
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)

    config = _gunicorn_config()

    # a sync worker is killed after `timeout` seconds inside one request; a gthread
    # worker's main loop keeps reporting while a thread streams the export
    assert config.worker_class_str == "gthread"
    assert (config.workers, config.threads, config.timeout) == (4, 4, 30)


def test_the_server_settings_follow_the_environment(monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "2")
    monkeypatch.setenv("GUNICORN_THREADS", "8")
    monkeypatch.setenv("GUNICORN_TIMEOUT", "60")

    config = _gunicorn_config()

    assert (config.workers, config.threads, config.timeout) == (2, 8, 60)
