"""Production settings for the bench scripts, with one change: a fast password hasher.

The race logs 100 sessions in through the real login form; with PBKDF2 at Django's
1,000,000 iterations that is 30 CPU-seconds of hashing on a 2-core box before the
race starts. The race is about stock, not about password hashing, so the bench
users' passwords are hashed with MD5 here (pass --real-hashing to a script to use
the production hashers). Nothing else differs from inventory_system.settings.
"""

import os

from inventory_system.settings import *  # noqa: F403

if os.environ.get("BENCH_REAL_HASHING") != "1":
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
